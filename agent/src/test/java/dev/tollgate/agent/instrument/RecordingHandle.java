package dev.tollgate.agent.instrument;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A call handle that writes down what the client told it. */
public class RecordingHandle extends CallHandle {
  public final List<String> events = new ArrayList<>();
  public final ByteArrayOutputStream body = new ByteArrayOutputStream();
  /** The body length each {@link #onResponseStart} was told (-1: unknown). */
  public final List<Long> lengths = new ArrayList<>();
  /** The streams given to {@link #onPulledBody}; each reaches the application as a {@link Watched}. */
  public final List<InputStream> pulled = new ArrayList<>();
  private final String blockedBody;
  private final IOException blockedException;

  public RecordingHandle(String blockedBody, IOException blockedException) {
    this.blockedBody = blockedBody;
    this.blockedException = blockedException;
  }

  public static RecordingHandle proceeding() {
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
  public InputStream onResponse(ResponseInfo response, InputStream in) {
    throw new AssertionError("a pushed body is never read as a stream");
  }

  /** What {@link #onPulledBody} hands the application: the same bytes. */
  public static final class Watched extends FilterInputStream {
    Watched(InputStream in) {
      super(in);
    }
  }

  @Override
  public InputStream onPulledBody(InputStream in) {
    pulled.add(in);
    return new Watched(in);
  }

  @Override
  public void onFailure(Throwable error) {
    events.add("failure");
  }

  @Override
  public boolean onResponseStart(ResponseInfo response) {
    events.add("start " + response);
    lengths.add(response.contentLength());
    return response.status() >= 200 && response.status() < 300;
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
