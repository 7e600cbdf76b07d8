package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoWalkerTest {
  /** Records what the walker reports as {@code path/field=value}; descends into fields 4 and 7, keeps 11 as a string. */
  static final class Recorder implements ProtoWalker.Fields {
    final List<String> seen = new ArrayList<>();

    @Override
    public int lengthDelimited(int[] path, int depth, int field) {
      return field == 4 || field == 7 ? ProtoWalker.DESCEND : field == 11 ? ProtoWalker.STRING : ProtoWalker.SKIP;
    }

    @Override
    public void varint(int[] path, int depth, int field, long value) {
      seen.add(prefix(path, depth) + field + "=" + value);
    }

    @Override
    public void string(int[] path, int depth, int field, String value) {
      seen.add(prefix(path, depth) + field + "=\"" + value + "\"");
    }

    private static String prefix(int[] path, int depth) {
      StringBuilder p = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        p.append(path[i]).append('.');
      }
      return p.toString();
    }
  }

  private static Recorder walk(byte[] message, int chunk) throws IOException {
    Recorder r = new Recorder();
    ProtoWalker w = new ProtoWalker(r);
    w.reset(message.length);
    for (int at = 0; at < message.length; at += chunk) {
      w.feed(message, at, Math.min(chunk, message.length - at));
    }
    assertThat(w.isAtEnd()).isTrue();
    return r;
  }

  @Test
  void feed_varintsOfEveryLength_areReadWhole() throws IOException {
    byte[] m = ProtoBytes.message().varint(1, 0).varint(2, 127).varint(3, 128).varint(5, 3104).varint(6, Integer.MAX_VALUE)
        .varint(8, -1).varint(536_870_911, 1).build();

    assertThat(walk(m, 1).seen).containsExactly("1=0", "2=127", "3=128", "5=3104", "6=2147483647", "8=-1", "536870911=1");
  }

  @Test
  void feed_nestedMessages_reportTheirPath_andLeaveThemWhereTheyEnd() throws IOException {
    byte[] m = ProtoBytes.message()
        .message(4, ProtoBytes.message().varint(1, 57).message(7, ProtoBytes.message().varint(2, 8)).varint(14, 1224))
        .varint(1, 9)
        .message(4, ProtoBytes.message())
        .string(11, "gemini-2.5-pro")
        .build();

    for (int chunk : new int[] {1, 2, 3, 1000}) {
      assertThat(walk(m, chunk).seen).as("chunk %d", chunk).containsExactly("4.1=57", "4.7.2=8", "4.14=1224", "1=9",
          "11=\"gemini-2.5-pro\"");
    }
  }

  @Test
  void feed_unknownFieldsOfEveryWireType_areSkipped() throws IOException {
    byte[] m = ProtoBytes.message().fixed64(9, -1L).fixed32(10, 7).string(2, "a candidate's text, skipped unread")
        .bytes(3, new byte[] {(byte) 0xff, 0, (byte) 0x80}).varint(1, 3).build();

    assertThat(walk(m, 1).seen).containsExactly("1=3");
  }

  @Test
  void feed_stringLongerThanKept_isSkipped() throws IOException {
    byte[] m = ProtoBytes.message().string(11, "x".repeat(ProtoWalker.MAX_STRING + 1)).varint(1, 1).build();

    assertThat(walk(m, 7).seen).containsExactly("1=1");
  }

  @Test
  void feed_nestingDeeperThanKept_isSkipped() throws IOException {
    ProtoBytes inner = ProtoBytes.message().varint(1, 1);
    for (int i = 0; i < ProtoWalker.MAX_DEPTH + 2; i++) {
      inner = ProtoBytes.message().message(4, inner);
    }
    byte[] m = inner.varint(2, 2).build();

    assertThat(walk(m, 1).seen).containsExactly("2=2");
  }

  @Test
  void isAtEnd_ofAMessageCutShort_isFalse() throws IOException {
    byte[] m = ProtoBytes.message().message(4, ProtoBytes.message().varint(1, 57).varint(2, 8)).build();
    ProtoWalker w = new ProtoWalker(new Recorder());
    w.reset(m.length);

    w.feed(m, 0, m.length - 1);

    assertThat(w.isAtEnd()).isFalse();
  }

  @Test
  void feed_malformedInput_throwsIOException() {
    assertMalformed(ProtoBytes.message().message(4, ProtoBytes.message().varint(1, 300)).build(), 2); // nested length past the end
    assertMalformed(new byte[] {0x08, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, 0); // an eleven-byte varint
    assertMalformed(new byte[] {0x00, 0x01}, 0); // field 0
    assertMalformed(new byte[] {0x0b, 0x0c}, 0); // a group
    assertMalformed(new byte[] {0x0e, 0x01}, 0); // wire type 6
    assertMalformed(new byte[] {0x22, 0x05, 0x08}, 0); // a length past the end of the message
  }

  private static void assertMalformed(byte[] m, int shorten) {
    ProtoWalker w = new ProtoWalker(new Recorder());
    w.reset(m.length - shorten);
    assertThatThrownBy(() -> w.feed(m, 0, m.length)).isInstanceOf(IOException.class);
  }
}
