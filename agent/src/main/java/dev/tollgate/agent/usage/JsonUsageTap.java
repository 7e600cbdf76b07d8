package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A plain JSON response, or a stream of JSON values one a line (NDJSON, Ollama's streams), parsed
 * by Jackson's non-blocking parser as chunks arrive. Long strings are
 * clipped on the way in ({@link StringClipper}), so memory is the parser's token buffer for short
 * values, never the body, however large the body or any one value in it.
 */
final class JsonUsageTap extends UsageTap {
  private final JsonPath path = new JsonPath();
  private final StringClipper clipper = new StringClipper();
  private final ByteSink parse = this::parse;
  /** NDJSON: the body is a sequence of root values, complete once the provider says it is finished. */
  private final boolean lines;
  private @Nullable JsonParser parser;
  private boolean complete;
  /** Bytes left of a body known small ({@link #small}), parsed with canonicalised names; -1 for any other body. */
  private long smallLeft = -1;

  JsonUsageTap(UsageReader reader) {
    this(reader, false);
  }

  JsonUsageTap(UsageReader reader, boolean lines) {
    super(reader);
    this.lines = lines;
  }

  @Override
  void small(long length) {
    smallLeft = length;
  }

  @Override
  void consume(byte[] b, int off, int len) throws IOException {
    if (parser == null) {
      parser = (smallLeft >= 0 ? EVENT_JSON : JSON).createNonBlockingByteArrayParser();
    }
    if (smallLeft >= 0 && (smallLeft -= len) < 0) {
      // More than the client said: stop before the table of names could grow with the body.
      throw new IOException("the body ran past the length its client gave");
    }
    clipper.feed(b, off, len, parse);
  }

  private void parse(byte[] b, int from, int to) throws IOException {
    if (complete) {
      return;
    }
    JsonParser parser = Objects.requireNonNull(this.parser, "parser"); // created by feed, before any byte
    ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(b, from, to);
    while (path.scan(parser, reader)) {
      if (!lines || reader.finished) {
        complete = true;
        reader.finished = true;
        parser.close();
        return;
      }
    }
  }

  @Override
  public boolean isStream() {
    return lines;
  }

  @Override
  public boolean isComplete() {
    return complete;
  }
}
