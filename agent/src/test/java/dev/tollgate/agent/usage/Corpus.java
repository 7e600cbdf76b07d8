package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The recorded responses under {@code src/test/resources/responses}, and ways to feed them to a tap. */
final class Corpus {
  static final String JSON = "application/json; charset=utf-8";
  static final String SSE = "text/event-stream; charset=utf-8";
  static final String NDJSON = "application/x-ndjson";

  private Corpus() {}

  static byte[] read(String path) {
    try (InputStream in = Corpus.class.getResourceAsStream("/responses/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource responses/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String path) {
    return new String(read(path), StandardCharsets.UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  static final String GRPC = "application/grpc";

  static String contentType(String path) {
    return path.endsWith(".sse") ? SSE : path.endsWith(".ndjson") ? NDJSON : path.endsWith(".eventstream") ? EVENT_STREAM
        : path.endsWith(".grpc") ? GRPC : JSON;
  }

  /** Feeds {@code data} whole and ends it. */
  static UsageTap tap(Format format, String contentType, byte[] data) {
    return feed(format, contentType, data, new int[0], false);
  }

  /** Feeds {@code data} cut at {@code cuts} (ascending positions), then ends the body. */
  static UsageTap feed(Format format, String contentType, byte[] data, int[] cuts, boolean reuseBuffer) {
    UsageTap tap = UsageTap.forResponse(format, contentType);
    byte[] shared = new byte[data.length + 16];
    int start = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int end = k < cuts.length ? cuts[k] : data.length;
      if (reuseBuffer) {
        // Like an application reading into one buffer: the bytes are overwritten after each read.
        System.arraycopy(data, start, shared, 7, end - start);
        tap.feed(shared, 7, end - start);
        Arrays.fill(shared, (byte) '}');
      } else {
        tap.feed(data, start, end - start);
      }
      start = end;
    }
    tap.end();
    return tap;
  }

  static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  static int[] randomCuts(int length, long seed, int maxChunk) {
    Random random = new Random(seed);
    List<Integer> cuts = new ArrayList<>();
    int at = 0;
    while (true) {
      at += 1 + random.nextInt(maxChunk);
      if (at >= length) {
        break;
      }
      cuts.add(at);
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }
}
