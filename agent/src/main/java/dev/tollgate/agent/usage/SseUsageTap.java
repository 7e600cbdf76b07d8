package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import dev.tollgate.agent.endpoint.Format;
import java.io.IOException;
import java.util.Arrays;

/**
 * A server-sent-events stream, split into lines as it flows. Only {@code data:} lines that can
 * matter are parsed: the first ones until the model is known (Azure's first chunk names none), and
 * those that mention usage or a terminal event. The line buffer is reused and bounded, so memory
 * does not grow with the stream's length; a data line longer than the buffer (a Responses API
 * {@code response.completed} repeating a very long output) is parsed as it flows instead.
 */
final class SseUsageTap extends UsageTap {
  private static final int MAX_BUFFERED_LINE = 64 * 1024;
  /** Events parsed for the model and id at most, when the stream names no model. */
  private static final int IDENTITY_EVENTS = 4;
  private static final byte[] DATA = ascii("data:");
  private static final byte[] DONE = ascii("[DONE]");
  /** What may follow a quote in an event that matters: a usage key, or a terminal event's marker. */
  private static final byte[] USAGE_KEY = ascii("usage");
  private static final byte[][] TERMINAL = {
      ascii("message_stop\""), ascii("finishReason\""), ascii("message-end\""),
      ascii("response.completed\""), ascii("response.incomplete\""), ascii("response.failed\"")};
  /** The first letters of {@link #USAGE_KEY} and {@link #TERMINAL}: a quote followed by anything else is passed over at once. */
  private static final boolean[] FIRST_LETTER = new boolean[256];

  static {
    FIRST_LETTER[USAGE_KEY[0] & 0xff] = true;
    for (byte[] needle : TERMINAL) {
      FIRST_LETTER[needle[0] & 0xff] = true;
    }
  }

  private final JsonPath path = new JsonPath();
  private final LongLine longLine = new LongLine(path, reader);
  private byte[] line = new byte[512];
  private int lineLength;
  private boolean lineTooLong;
  private int identityEvents;
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
  void onEnd() {
    if ((lineLength > 0 || longLine.isOpen()) && !complete) {
      try {
        onLine();
      } catch (IOException | RuntimeException ignored) {
        // A torn last event: whatever was read stays.
      }
    }
  }

  private void append(byte[] b, int off, int len) throws IOException {
    if (longLine.isOpen()) {
      longLine.feed(b, off, len);
      return;
    }
    if (lineTooLong || len == 0) {
      return;
    }
    if (lineLength + len > MAX_BUFFERED_LINE) {
      // Fill the buffer first, so the line's start (is it data?) is seen whatever the chunking.
      int fill = MAX_BUFFERED_LINE - lineLength;
      buffer(b, off, fill);
      startLongLine();
      append(b, off + fill, len - fill);
      return;
    }
    buffer(b, off, len);
  }

  private void buffer(byte[] b, int off, int len) {
    if (lineLength + len > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + len));
    }
    System.arraycopy(b, off, line, lineLength, len);
    lineLength += len;
  }

  /** The line outgrew the buffer: a data line is parsed from here on as it flows, anything else skipped. */
  private void startLongLine() throws IOException {
    if (startsWith(line, lineLength, DATA)) {
      longLine.open();
      int from = dataStart(lineLength);
      longLine.feed(line, from, lineLength - from);
    } else {
      lineTooLong = true;
    }
    lineLength = 0;
  }

  private int dataStart(int n) {
    int from = DATA.length;
    while (from < n && line[from] == ' ') {
      from++;
    }
    return from;
  }

  private void onLine() throws IOException {
    if (longLine.isOpen()) {
      longLine.close();
      complete = reader.finished;
      return;
    }
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
    int from = dataStart(n);
    if (n - from == DONE.length && startsWith(line, from, n, DONE)) {
      complete = true;
      return;
    }
    boolean identify = reader.model == null && identityEvents < IDENTITY_EVENTS;
    if (identify || mentionsAny(from, n)) {
      identityEvents += identify ? 1 : 0;
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
   * Whether the event can carry usage or end the call: one pass over the line, looking at what
   * follows each quote. OpenAI puts {@code "usage":null} in every chunk when usage was requested,
   * so only a usage <em>object</em> counts ({@code "usage":{}}, {@code "usageMetadata": {}}): the
   * other chunks are never parsed.
   */
  private boolean mentionsAny(int from, int to) {
    for (int i = from; i < to - 1; i++) {
      if (line[i] != '"' || !FIRST_LETTER[line[i + 1] & 0xff]) {
        continue;
      }
      if (startsWith(line, i + 1, to, USAGE_KEY) && opensObject(i + 1 + USAGE_KEY.length, to)) {
        return true;
      }
      for (byte[] needle : TERMINAL) {
        if (startsWith(line, i + 1, to, needle)) {
          return true;
        }
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
