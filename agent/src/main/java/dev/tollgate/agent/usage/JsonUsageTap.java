package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

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
  private JsonParser parser;
  private boolean complete;

  JsonUsageTap(UsageReader reader) {
    this(reader, false);
  }

  JsonUsageTap(UsageReader reader, boolean lines) {
    super(reader);
    this.lines = lines;
  }

  @Override
  void consume(byte[] b, int off, int len) throws IOException {
    if (parser == null) {
      parser = JSON.createNonBlockingByteArrayParser();
    }
    clipper.feed(b, off, len, parse);
  }

  private void parse(byte[] b, int from, int to) throws IOException {
    if (complete) {
      return;
    }
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
