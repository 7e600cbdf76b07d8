package dev.tollgate.agent.instrument.apache;

import dev.tollgate.agent.bootstrap.CallHandle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A call handle that writes down what the client told it. */
final class RecordingHandle extends CallHandle {
  final List<String> events = new ArrayList<>();
  final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final String blockedBody;
  private final IOException blockedException;

  RecordingHandle(String blockedBody, IOException blockedException) {
    this.blockedBody = blockedBody;
    this.blockedException = blockedException;
  }

  static RecordingHandle proceeding() {
    return new RecordingHandle(null, null);
  }

  @Override
  public boolean isBlocked() {
    return blockedBody != null || blockedException != null;
  }

  @Override
  public String blockedBody() {
    return blockedBody;
  }

  @Override
  public IOException blockedException() {
    return blockedException;
  }

  @Override
  public InputStream onResponse(int status, String contentType, InputStream in) {
    throw new AssertionError("a pushed body is never read as a stream");
  }

  @Override
  public void onFailure(Throwable error) {
    events.add("failure");
  }

  @Override
  public boolean onResponseStart(int status, String contentType) {
    events.add("start " + status + " " + contentType);
    return status >= 200 && status < 300;
  }

  @Override
  public void onBodyChunk(byte[] b, int off, int len) {
    body.write(b, off, len);
  }

  @Override
  public void onBodyEnd() {
    events.add("end");
  }

  @Override
  public void onBodyError(Throwable t) {
    events.add("error");
  }
}
