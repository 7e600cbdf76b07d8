package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import dev.tollgate.agent.endpoint.Format;
import java.io.IOException;
import java.util.Arrays;

/**
 * A server-sent-events stream, split into lines as it flows. Only {@code data:} lines that can
 * matter are parsed: the first (model and id), and those that mention usage or a terminal event.
 * The line buffer is reused and bounded, so memory does not grow with the stream's length.
 */
final class SseUsageTap extends UsageTap {
  private static final int MAX_LINE = 1 << 20;
  private static final byte[] DATA = ascii("data:");
  private static final byte[] DONE = ascii("[DONE]");
  private static final byte[] USAGE_KEY = ascii("\"usage");
  private static final byte[][] TERMINAL = {ascii("message_stop"), ascii("finishReason")};

  private final JsonPath path = new JsonPath();
  private byte[] line = new byte[512];
  private int lineLength;
  private boolean lineTooLong;
  private boolean sawData;
  private boolean complete;

  SseUsageTap(Format format) {
    super(format);
  }

  @Override
  void consume(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int start = off;
    for (int i = off; i < end && !complete; i++) {
      if (b[i] == '\n') {
        append(b, start, i - start);
        onLine();
        start = i + 1;
      }
    }
    if (!complete && start < end) {
      append(b, start, end - start);
    }
  }

  @Override
  public void end() {
    if (lineLength > 0 && !complete) {
      try {
        onLine();
      } catch (IOException | RuntimeException ignored) {
        // A torn last event: whatever was read stays.
      }
    }
  }

  private void append(byte[] b, int off, int len) {
    if (lineTooLong || len == 0) {
      return;
    }
    if (lineLength + len > MAX_LINE) {
      lineTooLong = true;
      return;
    }
    if (lineLength + len > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + len));
    }
    System.arraycopy(b, off, line, lineLength, len);
    lineLength += len;
  }

  private void onLine() throws IOException {
    int n = lineLength;
    if (n > 0 && line[n - 1] == '\r') {
      n--;
    }
    boolean tooLong = lineTooLong;
    lineLength = 0;
    lineTooLong = false;
    if (tooLong || !startsWith(line, n, DATA)) {
      return;
    }
    int from = DATA.length;
    while (from < n && line[from] == ' ') {
      from++;
    }
    if (n - from == DONE.length && startsWith(line, from, n, DONE)) {
      complete = true;
      return;
    }
    boolean first = !sawData;
    sawData = true;
    if (first || mentionsAny(from, n)) {
      parseEvent(from, n);
    }
  }

  private void parseEvent(int from, int to) throws IOException {
    path.reset();
    try (JsonParser p = JSON.createParser(line, from, to - from)) {
      path.scan(p, reader);
    }
    // A terminal event (Anthropic message_delta/stop, Responses API response.*, Gemini's finishing
    // chunk) carries the final usage in the same event: the call is complete once it is parsed.
    complete = reader.finished;
  }

  /**
   * Whether the event can carry usage or end the call. OpenAI puts {@code "usage":null} in every
   * chunk when usage was requested, so only a usage <em>object</em> counts ({@code "usage":{},
   * {@code "usageMetadata": {}}): the other chunks are never parsed.
   */
  private boolean mentionsAny(int from, int to) {
    for (int i = indexOf(line, from, to, USAGE_KEY); i >= 0; i = indexOf(line, i + 1, to, USAGE_KEY)) {
      if (opensObject(i + USAGE_KEY.length, to)) {
        return true;
      }
    }
    for (byte[] needle : TERMINAL) {
      if (indexOf(line, from, to, needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** After a key's name: more name letters, the closing quote, a colon, then '{' (spaces allowed). */
  private boolean opensObject(int i, int to) {
    while (i < to && Character.isLetter(line[i])) {
      i++;
    }
    if (i >= to || line[i++] != '"') {
      return false;
    }
    while (i < to && line[i] == ' ') {
      i++;
    }
    if (i >= to || line[i++] != ':') {
      return false;
    }
    while (i < to && line[i] == ' ') {
      i++;
    }
    return i < to && line[i] == '{';
  }

  static int indexOf(byte[] hay, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int n, byte[] prefix) {
    return startsWith(b, 0, n, prefix);
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Override
  public boolean isStream() {
    return true;
  }

  @Override
  public boolean isComplete() {
    return complete;
  }
}
