package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteScanTest {
  /** Bytes that trip up a careless zero-byte test: the target's neighbours, 0, 0x80, 0xFF. */
  private static final byte[] TRICKY = {'"', '#', '!', '\n', 0x0B, 0x00, 0x01, (byte) 0x80, (byte) 0xFF, (byte) 0xA2, 'a'};

  @Test
  void indexOf_everyRangeOfRandomBytes_findsWhatALoopFinds() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      byte[] b = new byte[1 + random.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] = TRICKY[random.nextInt(TRICKY.length)];
      }
      for (byte target : new byte[] {'"', '\n'}) {
        for (int from = 0; from <= b.length; from++) {
          for (int to = from; to <= b.length; to++) {
            assertThat(ByteScan.indexOf(b, from, to, ByteScan.pattern((char) target)))
                .as("%s in [%d, %d) of %s", target, from, to, java.util.Arrays.toString(b))
                .isEqualTo(naiveIndexOf(b, from, to, target));
          }
        }
      }
    }
  }

  @Test
  void zeroBytes_everyByteValueAtEveryPosition_flagsExactlyTheZeroBytes() {
    for (long background : new long[] {0, 0x0101010101010101L, 0xFFFFFFFFFFFFFFFFL, 0x8080808080808080L, 0x0100010001000100L}) {
      for (int position = 0; position < 8; position++) {
        for (int value = 0; value < 256; value++) {
          long x = background & ~(0xFFL << (position * 8)) | ((long) value << (position * 8));
          long expected = 0;
          for (int k = 0; k < 8; k++) {
            expected |= ((x >>> (k * 8)) & 0xFF) == 0 ? 0x80L << (k * 8) : 0;
          }
          assertThat(ByteScan.zeroBytes(x)).as("%016x", x).isEqualTo(expected);
        }
      }
    }
  }

  private static int naiveIndexOf(byte[] b, int from, int to, byte target) {
    for (int i = from; i < to; i++) {
      if (b[i] == target) {
        return i;
      }
    }
    return -1;
  }
}
