package io.grpc.protobuf.lite;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A stand-in for grpc-protobuf-lite's class of the same name (not on the agent's test class path),
 * for the one thing the gRPC support looks at: its marshaller's class name. Its {@code parse} reads as
 * the real one does: a {@code KnownLength} stream's {@code available()} bytes into a buffer of its
 * own, any other stream to its end.
 */
public final class ProtoLiteUtils {
  private ProtoLiteUtils() {}

  /** A marshaller making messages of the bytes it parses with {@code messages}. */
  public static MessageMarshaller marshaller(Function<byte[], Object> messages) {
    return new MessageMarshaller(messages, false);
  }

  /**
   * As {@link #marshaller}, reading every stream as protobuf's {@code CodedInputStream} may read a
   * large one: a byte at a time, skipping, in pieces; what it skips is not in the message.
   */
  public static MessageMarshaller skimming(Function<byte[], Object> messages) {
    return new MessageMarshaller(messages, true);
  }

  /** {@code ProtoLiteUtils$MessageMarshaller}, as the real one is named. */
  public static final class MessageMarshaller implements MethodDescriptor.PrototypeMarshaller<Object> {
    private final Function<byte[], Object> messages;
    private final boolean skim;
    /** Each stream parsed: its class' simple name, and whether it was {@code KnownLength}. */
    public final List<String> parsed = new ArrayList<>();

    MessageMarshaller(Function<byte[], Object> messages, boolean skim) {
      this.messages = messages;
      this.skim = skim;
    }

    @Override
    public Object parse(InputStream stream) {
      try {
        parsed.add((stream instanceof KnownLength ? "known length " : "") + stream.getClass().getSimpleName());
        if (skim) {
          ByteArrayOutputStream kept = new ByteArrayOutputStream();
          kept.write(stream.read());
          stream.skip(1);
          kept.write(stream.readNBytes(2));
          stream.transferTo(kept);
          return messages.apply(kept.toByteArray());
        }
        if (stream instanceof KnownLength) {
          int size = stream.available();
          byte[] buf = new byte[size];
          for (int at = 0; at < size;) {
            int n = stream.read(buf, at, size - at);
            if (n < 0) {
              throw new RuntimeException("size inaccurate");
            }
            at += n;
          }
          return messages.apply(buf);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        stream.transferTo(all);
        return messages.apply(all.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public InputStream stream(Object value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Class<Object> getMessageClass() {
      return Object.class;
    }

    @Override
    public Object getMessagePrototype() {
      return messages.apply(new byte[0]);
    }
  }
}
