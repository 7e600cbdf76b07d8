package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One SSE data line too long to buffer, parsed as its bytes flow by Jackson's non-blocking parser
 * behind a {@link StringClipper}: memory stays that of a short event however long the line.
 */
final class LongLine {
  private final JsonPath path;
  private final StringClipper clipper = new StringClipper();
  private final UsageReader reader;
  private final ByteSink parse = this::parse;
  private @Nullable JsonParser parser;
  private boolean closed;

  LongLine(JsonPath path, UsageReader reader) {
    this.path = path;
    this.reader = reader;
  }

  boolean isOpen() {
    return parser != null;
  }

  void open() throws IOException {
    parser = UsageTap.JSON.createNonBlockingByteArrayParser();
    path.reset();
    clipper.reset();
    closed = false;
  }

  void feed(byte[] b, int off, int len) throws IOException {
    clipper.feed(b, off, len, parse);
  }

  private void parse(byte[] b, int from, int to) throws IOException {
    if (closed) {
      return; // the event's JSON has ended; what follows on the line is whitespace
    }
    JsonParser p = Objects.requireNonNull(parser, "parser"); // set by open, before any byte
    ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(b, from, to);
    closed = path.scan(p, reader);
  }

  /** The line ended. */
  void close() throws IOException {
    JsonParser p = parser;
    parser = null;
    if (p != null) {
      p.close();
    }
  }
}
