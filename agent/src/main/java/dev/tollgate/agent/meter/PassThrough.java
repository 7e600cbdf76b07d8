package dev.tollgate.agent.meter;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.IOException;
import java.io.InputStream;

/** A call Tollgate lets through untouched: metering failed internally, or is off for it. */
public final class PassThrough extends CallHandle {
  public static final PassThrough INSTANCE = new PassThrough();

  @Override
  public boolean isBlocked() {
    return false;
  }

  @Override
  public String blockedBody() {
    return null;
  }

  @Override
  public IOException blockedException() {
    return null;
  }

  @Override
  public InputStream onResponse(ResponseInfo response, InputStream body) {
    return null;
  }

  @Override
  public void onFailure(Throwable error) {}

  @Override
  public boolean onResponseStart(ResponseInfo response) {
    return false;
  }

  @Override
  public void onBodyChunk(byte[] b, int off, int len) {}

  @Override
  public void onBodyEnd() {}

  @Override
  public void onBodyError(Throwable t) {}
}
