package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Base64;

/**
 * A Bedrock stream in AWS event-stream framing, read as it flows ({@link EventStreamDecoder}).
 * ConverseStream's {@code metadata} event carries the call's usage and ends it. An
 * InvokeModelWithResponseStream {@code chunk} event carries the model's own chunk, base64 in
 * {@code bytes}; a chunk that names a token count is decoded and read (the last one adds Bedrock's
 * {@code amazon-bedrock-invocationMetrics}). An {@code exception} message is a failed call.
 */
final class EventStreamUsageTap extends UsageTap {
  private static final byte[] TOKEN = EventFilter.ascii("oken");
  private final JsonPath path = new JsonPath();
  private final EventStreamDecoder decoder = new EventStreamDecoder(this::onMessage);
  private boolean complete;

  EventStreamUsageTap(BedrockUsageReader reader) {
    super(reader);
  }

  @Override
  void consume(byte[] b, int off, int len) throws IOException {
    decoder.feed(b, off, len);
  }

  /** One whole message; returns whether to read on (not once the call is complete: later bytes are not the tap's). */
  private boolean onMessage(/* @Nullable */ String messageType, /* @Nullable */ String eventType, byte[] b, int off, int len)
      throws IOException {
    read(messageType, eventType, b, off, len);
    return !complete;
  }

  private void read(/* @Nullable */ String messageType, /* @Nullable */ String eventType, byte[] b, int off, int len)
      throws IOException {
    if (len == 0) {
      return;
    }
    if (!"event".equals(messageType)) {
      if (messageType != null) {
        reader.providerFailed = true; // a modelStreamErrorException, a throttlingException mid-stream
        complete = true;
      }
      return;
    }
    if ("metadata".equals(eventType)) {
      parse(b, off, len);
      ((BedrockUsageReader) reader).streamEnded();
      complete = reader.sawUsage;
    } else if ("chunk".equals(eventType)) {
      byte[] chunk = chunkBytes(b, off, len);
      if (chunk != null && contains(chunk, TOKEN)) {
        parse(chunk, 0, chunk.length);
        complete = reader.finished && reader.sawUsage;
      }
    }
  }

  private void parse(byte[] b, int off, int len) throws IOException {
    path.reset();
    try (JsonParser p = EVENT_JSON.createParser(b, off, len)) {
      path.scan(p, reader);
    }
  }

  /** The model's chunk: the base64 {@code bytes} of a {@code {"bytes":…,"p":…}} payload, decoded; null without one. */
  private static /* @Nullable */ byte[] chunkBytes(byte[] b, int off, int len) throws IOException {
    try (JsonParser p = EVENT_JSON.createParser(b, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        boolean bytes = "bytes".equals(p.currentName());
        t = p.nextToken();
        if (bytes && t == JsonToken.VALUE_STRING) {
          return Base64.getDecoder().decode(p.getText());
        }
        p.skipChildren();
      }
      return null;
    }
  }

  private static boolean contains(byte[] b, byte[] part) {
    for (int i = 0; i <= b.length - part.length; i++) {
      if (EventFilter.startsWith(b, i, b.length, part)) {
        return true;
      }
    }
    return false;
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
