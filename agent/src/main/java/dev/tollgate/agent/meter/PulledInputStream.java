package dev.tollgate.agent.meter;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;

/**
 * The stream an application pulls a pushed body from (the JDK client's {@code ofInputStream}),
 * unchanged: every call passes through. The client holds the stream it fills until the body ends,
 * so it is this wrapper, held by the application alone, whose collection tells that the
 * application dropped the body (see {@link MeteredCall#onPulledBody}).
 */
final class PulledInputStream extends FilterInputStream {

  PulledInputStream(InputStream in) {
    super(in);
  }

  // Each method keeps this wrapper reachable to its end: a read blocked in the client's stream
  // must not look like a dropped body.

  @Override
  public int read() throws IOException {
    try {
      return in.read();
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return in.skip(n);
    } finally {
      Reference.reachabilityFence(this);
    }
  }
}
