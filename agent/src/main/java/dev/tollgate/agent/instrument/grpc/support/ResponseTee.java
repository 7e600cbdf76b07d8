package dev.tollgate.agent.instrument.grpc.support;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * A metered call's response marshaller, in place of grpc's protobuf marshaller ({@code
 * ProtoLiteUtils.MessageMarshaller}, which {@code ProtoUtils.marshaller} returns too): each message is
 * parsed by that marshaller from a stream that hands the call's {@link ResponseTap} the bytes as the
 * marshaller reads them. Bound to one call: the channel's call is created with a descriptor of its own
 * ({@link Metering#teeing}), and grpc parses a call's messages one at a time, each just before the
 * listener's {@code onMessage} ({@code ClientCallImpl}, on the call's serializing executor). Until the
 * tap is bound (the call is not metered after all, or its request has not been sent) it is the
 * marshaller it stands in for.
 */
final class ResponseTee<T> implements MethodDescriptor.PrototypeMarshaller<T> {
  /**
   * The only marshaller teed: its {@code parse} reads the stream it is given at once and keeps none
   * of it; a {@code KnownLength} stream's {@code available()} bytes whole into a buffer of its own
   * (up to 4 MiB; a larger message through protobuf's {@code CodedInputStream}, to its end).
   */
  private static final String PROTOBUF = "io.grpc.protobuf.lite.ProtoLiteUtils$MessageMarshaller";

  private final MethodDescriptor.PrototypeMarshaller<T> marshaller;
  private volatile @Nullable ResponseTap<T> tap;
  private @Nullable Wire wire;

  private ResponseTee(MethodDescriptor.PrototypeMarshaller<T> marshaller) {
    this.marshaller = marshaller;
  }

  /** A tee of {@code marshaller}, or null when it is not grpc's protobuf marshaller: its messages are read as handed over. */
  static <T> @Nullable ResponseTee<T> of(MethodDescriptor.Marshaller<T> marshaller) {
    return marshaller instanceof MethodDescriptor.PrototypeMarshaller && marshaller.getClass().getName().equals(PROTOBUF)
        ? new ResponseTee<>((MethodDescriptor.PrototypeMarshaller<T>) marshaller)
        : null;
  }

  /** Feeds {@code t} from now on; called before the channel's call starts, so before any response. */
  void into(ResponseTap<T> t) {
    tap = t;
  }

  /**
   * The next message. A stream whose length grpc knows (an uncompressed message off the wire: {@code
   * KnownLength}, and not {@code Drainable}, as a message handed over in memory is) is read through
   * the tee, after the prefix with that length; the marshaller still gets a {@code KnownLength}
   * stream, so its fast path is kept. Any other message is written out by the tap once parsed.
   * Whatever the tap does, the marshaller reads the stream as it would without it, and what it throws
   * is its own.
   */
  @Override
  public T parse(InputStream stream) {
    ResponseTap<T> t = tap;
    if (t == null || !t.parsing()) {
      return marshaller.parse(stream);
    }
    if (!(stream instanceof KnownLength) || stream instanceof Drainable) {
      T message = marshaller.parse(stream);
      t.write(message); // in memory or compressed: no wire bytes to hand over
      return message;
    }
    if (!t.prefix(stream)) {
      return marshaller.parse(stream);
    }
    Wire w = wire(t, stream);
    try {
      T message = marshaller.parse(w);
      w.rest();
      return message;
    } finally {
      w.in = null;
    }
  }

  private Wire wire(ResponseTap<T> t, InputStream stream) {
    Wire w = wire;
    if (w == null) {
      w = new Wire(t);
      wire = w;
    }
    w.in = stream;
    return w;
  }

  @Override
  public InputStream stream(T value) {
    return marshaller.stream(value);
  }

  @Override
  public Class<T> getMessageClass() {
    return marshaller.getMessageClass();
  }

  @Override
  public T getMessagePrototype() {
    return marshaller.getMessagePrototype();
  }

  @Override
  public String toString() {
    return "Tollgate(" + marshaller + ")";
  }

  /**
   * The stream the marshaller reads: the transport's, each byte read (or skipped) also fed to the tap
   * while it taps. One per call, over each message's stream in turn, for the marshaller's {@code
   * parse} only.
   */
  private static final class Wire extends InputStream implements KnownLength {
    private final ResponseTap<?> tap;
    @Nullable
    InputStream in;
    private byte @Nullable [] scratch;

    Wire(ResponseTap<?> tap) {
      this.tap = tap;
    }

    private InputStream in() throws IOException {
      InputStream i = in;
      if (i == null) {
        throw new IOException("read after the message was parsed");
      }
      return i;
    }

    @Override
    public int read() throws IOException {
      int b = in().read();
      if (b >= 0 && tap.tapping()) {
        byte[] one = scratch(1);
        one[0] = (byte) b;
        tap.feed(one, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in().read(b, off, len);
      if (n > 0) {
        tap.feed(b, off, n);
      }
      return n;
    }

    /** Skipped bytes are read, to be fed (protobuf skips only past its buffer, in a message over 4 MiB). */
    @Override
    public long skip(long n) throws IOException {
      if (!tap.tapping()) {
        return in().skip(n);
      }
      byte[] s = scratch(8192);
      long skipped = 0;
      while (skipped < n) {
        int r = read(s, 0, (int) Math.min(s.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return in().available();
    }

    /** grpc closes the transport's stream once the message is handed over: nothing to do before. */
    @Override
    public void close() {}

    /** A marshaller that left part of the message unread (protobuf's reads it all) leaves the tap inside it: it stops. */
    void rest() {
      try {
        int left = in().available();
        if (left > 0 && tap.tapping()) {
          tap.failed(new IllegalStateException("the marshaller left " + left + " bytes of a response unread"));
        }
      } catch (IOException e) {
        tap.failed(e);
      }
    }

    private byte[] scratch(int size) {
      byte[] s = scratch;
      if (s == null || s.length < size) {
        s = new byte[size];
        scratch = s;
      }
      return s;
    }
  }
}
