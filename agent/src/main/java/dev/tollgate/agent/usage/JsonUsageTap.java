package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.tollgate.agent.endpoint.Format;
import java.io.IOException;

/**
 * A plain JSON response, parsed by Jackson's non-blocking parser as chunks arrive: memory is the
 * parser's token buffer, never the body.
 */
final class JsonUsageTap extends UsageTap {
  private final JsonPath path = new JsonPath();
  private JsonParser parser;
  private boolean complete;

  JsonUsageTap(Format format) {
    super(format);
  }

  @Override
  void consume(byte[] b, int off, int len) throws IOException {
    if (parser == null) {
      parser = JSON.createNonBlockingByteArrayParser();
    }
    ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(b, off, off + len);
    if (path.scan(parser, reader)) {
      complete = true;
      reader.finished = true;
      parser.close();
    }
  }

  @Override
  public boolean isComplete() {
    return complete;
  }
}
