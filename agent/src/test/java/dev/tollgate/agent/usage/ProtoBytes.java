package dev.tollgate.agent.usage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Protocol-buffers wire format written by hand, for tests: fields appended in the order given. */
final class ProtoBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static ProtoBytes message() {
    return new ProtoBytes();
  }

  ProtoBytes varint(int field, long value) {
    rawVarint((long) field << 3);
    rawVarint(value);
    return this;
  }

  ProtoBytes fixed64(int field, long value) {
    rawVarint((long) field << 3 | 1);
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)));
    }
    return this;
  }

  ProtoBytes fixed32(int field, int value) {
    rawVarint((long) field << 3 | 5);
    for (int i = 0; i < 4; i++) {
      out.write(value >>> (8 * i));
    }
    return this;
  }

  ProtoBytes bytes(int field, byte[] value) {
    rawVarint((long) field << 3 | 2);
    rawVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  ProtoBytes string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoBytes message(int field, ProtoBytes value) {
    return bytes(field, value.build());
  }

  ProtoBytes raw(byte... b) {
    out.writeBytes(b);
    return this;
  }

  private void rawVarint(long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  byte[] build() {
    return out.toByteArray();
  }

  /** As gRPC frames a message in a body: flag 0, a 4-byte big-endian length, the message. */
  static byte[] frames(ProtoBytes... messages) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (ProtoBytes m : messages) {
      byte[] b = m.build();
      body.write(0);
      body.write(b.length >>> 24);
      body.write(b.length >>> 16);
      body.write(b.length >>> 8);
      body.write(b.length);
      body.writeBytes(b);
    }
    return body.toByteArray();
  }
}
