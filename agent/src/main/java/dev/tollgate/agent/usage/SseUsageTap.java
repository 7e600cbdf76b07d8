package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
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
  private static final byte[] DATA = EventFilter.ascii("data:");
  private static final byte[] DONE = EventFilter.ascii("[DONE]");
  private static final long NEWLINES = ByteScan.pattern('\n');

  private final JsonPath path = new JsonPath();
  private final LongLine longLine = new LongLine(path, reader);
  private byte[] line = new byte[512];
  private int lineLength;
  private boolean lineTooLong;
  private int identityEvents;
  private boolean complete;

  SseUsageTap(UsageReader reader) {
    super(reader);
  }

  @Override
  void consume(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int start = off;
    while (!complete && start < end) {
      int newline = ByteScan.indexOf(b, start, end, NEWLINES);
      if (newline < 0) {
        append(b, start, end - start);
        return;
      }
      if (lineLength == 0 && !lineTooLong && !longLine.isOpen() && newline - start <= MAX_BUFFERED_LINE) {
        onLine(b, start, newline); // the whole line is in the application's chunk: read it there, uncopied
      } else {
        append(b, start, newline - start);
        onBufferedLine();
      }
      start = newline + 1;
    }
  }

  @Override
  void onEnd() {
    if ((lineLength > 0 || longLine.isOpen()) && !complete) {
      try {
        onBufferedLine();
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
    if (EventFilter.startsWith(line, 0, lineLength, DATA)) {
      longLine.open();
      int from = dataStart(line, 0, lineLength);
      longLine.feed(line, from, lineLength - from);
    } else {
      lineTooLong = true;
    }
    lineLength = 0;
  }

  /** Where the event of the data line {@code b[from, to)} starts: after "data:" and its spaces. */
  private static int dataStart(byte[] b, int from, int to) {
    int i = from + DATA.length;
    while (i < to && b[i] == ' ') {
      i++;
    }
    return i;
  }

  /** The line gathered in the buffer, or flowing through {@link LongLine}, ended. */
  private void onBufferedLine() throws IOException {
    if (longLine.isOpen()) {
      longLine.close();
      complete = reader.finished;
      return;
    }
    int n = lineLength;
    boolean tooLong = lineTooLong;
    lineLength = 0;
    lineTooLong = false;
    if (!tooLong) {
      onLine(line, 0, n);
    }
  }

  /** A whole line, {@code b[from, to)} without its '\n'. */
  private void onLine(byte[] b, int from, int to) throws IOException {
    if (to > from && b[to - 1] == '\r') {
      to--;
    }
    if (!EventFilter.startsWith(b, from, to, DATA)) {
      return;
    }
    int event = dataStart(b, from, to);
    if (to - event == DONE.length && EventFilter.startsWith(b, event, to, DONE)) {
      complete = true;
      return;
    }
    boolean identify = reader.model == null && identityEvents < IDENTITY_EVENTS;
    if (identify || EventFilter.mayMatter(b, event, to)) {
      identityEvents += identify ? 1 : 0;
      parseEvent(b, event, to);
    }
  }

  private void parseEvent(byte[] b, int from, int to) throws IOException {
    path.reset();
    try (JsonParser p = EVENT_JSON.createParser(b, from, to - from)) {
      path.scan(p, reader);
    }
    // A terminal event (Anthropic message_delta/stop, Responses API response.*, Gemini's finishing
    // chunk) carries the final usage in the same event: the call is complete once it is parsed.
    complete = reader.finished;
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
