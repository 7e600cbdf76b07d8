package dev.tollgate.it.apps;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** Bodies the apps read their own way: a gzip body inflated by the app, a body that arrives in chunks printed line by line. */
final class Bodies {
  private Bodies() {}

  static String gunzip(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Prints the chunks of one body as the apps' {@code LINE} lines, each as soon as its newline has arrived. */
  static final class Lines {
    private final StringBuilder line = new StringBuilder();

    void print(CharSequence chunk) {
      for (int i = 0; i < chunk.length(); i++) {
        char c = chunk.charAt(i);
        if (c == '\n') {
          System.out.println("LINE " + line);
          line.setLength(0);
        } else {
          line.append(c);
        }
      }
    }
  }
}
