package dev.tollgate.agent.usage;

import java.io.IOException;

/** Receives bytes as {@code [from, to)} of an array it must not keep. */
interface ByteSink {
  void accept(byte[] b, int from, int to) throws IOException;
}
