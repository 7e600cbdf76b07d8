package dev.tollgate.agent.meter;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;

/**
 * The response body the application reads, unchanged: every chunk passes through to the caller as
 * it arrives, after the call's tap has seen it. When the tap sees the response complete, the call
 * is settled and journaled before those last bytes are returned, so the record exists before the
 * application can act on the response.
 */
final class TapInputStream extends InputStream {
  private final InputStream delegate;
  private final MeteredCall call;
  private final byte[] one = new byte[1];

  TapInputStream(InputStream delegate, MeteredCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = delegate.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      call.onBodyError(e);
      throw e;
    } finally {
      Reference.reachabilityFence(this); // a read blocked in the client must not look like a dropped body
    }
    if (n > 0) {
      call.onBodyChunk(b, off, n);
    } else if (n < 0) {
      call.onBodyEnd();
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return delegate.available();
  }

  @Override
  public void close() throws IOException {
    try {
      delegate.close();
    } finally {
      call.onClose();
    }
  }
}
