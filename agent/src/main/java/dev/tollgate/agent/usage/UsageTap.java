package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads usage from a response body as the application reads it: each chunk the application gets
 * is {@link #feed fed} here first, parsed incrementally, and never copied whole. A tap never
 * throws: malformed input marks it {@link #failed()} and the call is recorded with estimated usage.
 */
public abstract class UsageTap {
  // Field names are not canonicalised: Jackson's symbol table keeps every distinct name a parser
  // meets, so a body of millions of distinct names (garbled or hostile) held tens of megabytes per
  // call. Uncanonicalised, a name is a short-lived string and JsonPath keeps at most nine.
  static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .build();
  /**
   * For one SSE event, at most 64 KiB (a longer line flows through the non-blocking parser of
   * {@code JSON}): that few names are safe to canonicalise, and canonicalising is what gets a byte
   * array Jackson's UTF-8 parser: without it Jackson reads bytes through a decoding Reader, about
   * twice the work. Names are not interned, and the shared table resets itself past 6,000 names.
   */
  static final JsonFactory EVENT_JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();
  /**
   * A JSON body the client says is at most this long, and that arrives unencoded, is parsed with
   * {@link #EVENT_JSON}'s canonicalised names, as an SSE event is: that few names are safe to keep,
   * and a name found in the shared table costs no new string (a 1 KB answer: about a fifth of the
   * tap's time, half its allocation). {@link JsonUsageTap} stops reading such a body that runs past
   * its length, so a client that let more through could not make the table grow.
   */
  static final int SMALL_BODY = 64 * 1024;

  final UsageReader reader;
  private final ByteSink decoded = this::consumeDecoded;
  private @Nullable BodyInflater decoder;
  private long bytes;
  private boolean failed;

  UsageTap(UsageReader reader) {
    this.reader = reader;
  }

  /** A tap for a response of {@code contentType}: SSE when it says {@code text/event-stream}. */
  public static UsageTap forResponse(Format format, @Nullable String contentType) {
    return forResponse(format, contentType, null);
  }

  /**
   * A tap for a response of {@code contentType} whose body reaches the application still encoded
   * as {@code contentEncoding} ({@code gzip} or {@code deflate} are decoded inside the tap; null or
   * {@code identity} for a plain body). A body in another encoding is not read: the call is
   * recorded with estimated usage.
   */
  public static UsageTap forResponse(Format format, @Nullable String contentType, @Nullable String contentEncoding) {
    return forResponse(format, contentType, contentEncoding, -1);
  }

  /**
   * As {@link #forResponse(Format, String, String)}, for a body the client says is {@code
   * contentLength} bytes long as the application reads it (-1 when it does not say).
   */
  public static UsageTap forResponse(Format format, @Nullable String contentType, @Nullable String contentEncoding,
      long contentLength) {
    UsageTap tap = format.newTap(contentType);
    String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (!encoding.isEmpty() && !encoding.equals("identity")) {
      tap.decoder = BodyInflater.forEncoding(encoding);
      if (tap.decoder == null) {
        tap.failed = true;
        Log.once("tap-encoding-" + encoding, Log.Level.INFO,
            "responses with Content-Encoding " + encoding + " cannot be read; their usage is estimated", null);
      }
    } else if (contentLength >= 0 && contentLength <= SMALL_BODY) {
      tap.small(contentLength); // decoded, a body's length is unknown: only an unencoded one is known small
    }
    return tap;
  }

  /** A tap for a response of {@code contentType} read by {@code reader}: SSE when it says {@code text/event-stream}, else JSON. */
  static UsageTap sseOrJson(@Nullable String contentType, UsageReader reader) {
    return isContentType(contentType, "text/event-stream") ? new SseUsageTap(reader) : new JsonUsageTap(reader);
  }

  /** Whether {@code contentType} (parameters and case aside) is {@code type}. */
  static boolean isContentType(@Nullable String contentType, String type) {
    return contentType != null && contentType.regionMatches(true, 0, type, 0, type.length());
  }

  /** Takes the next {@code len} bytes the application is about to receive. */
  public final void feed(byte[] b, int off, int len) {
    if (decoder == null) {
      bytes += len;
    }
    if (failed || len <= 0 || isComplete()) {
      return;
    }
    try {
      if (decoder == null) {
        consume(b, off, len);
      } else {
        decoder.decode(b, off, len, decoded);
      }
    } catch (Exception | StackOverflowError e) {
      failed = true;
      Log.once("tap-" + getClass().getSimpleName() + e.getClass().getName(), Log.Level.WARN,
          "could not read usage from a response; recording it with estimated usage", e);
    }
    if (decoder != null && (failed || isComplete())) {
      decoder.close();
    }
  }

  private void consumeDecoded(byte[] b, int from, int to) throws IOException {
    bytes += to - from;
    if (!isComplete()) {
      consume(b, from, to - from);
    }
  }

  abstract void consume(byte[] b, int off, int len) throws IOException;

  /** The body has ended (end of stream). */
  public final void end() {
    if (decoder != null) {
      decoder.close();
    }
    if (!failed) {
      onEnd();
    }
  }

  void onEnd() {}

  /** The body is {@code length} bytes, at most {@link #SMALL_BODY}, unencoded. */
  void small(long length) {}

  /** {@code true} once the whole response has been seen: the JSON closed, or a terminal event. */
  public abstract boolean isComplete();

  /** {@code true} for a server-sent-events stream. */
  public boolean isStream() {
    return false;
  }

  /** Whether the provider reported usage. */
  public final boolean hasUsage() {
    return reader.sawUsage;
  }

  /** Whether the reported usage is the provider's final figure (not a partial stream's). */
  public final boolean hasFinalUsage() {
    // A JSON body cut inside its usage object has read part of it: final only once the body closed.
    return reader.usageIsFinal() && (isStream() || isComplete());
  }

  /** The reported usage, normalised; only meaningful when {@link #hasUsage()}. */
  public final Usage usage() {
    return reader.usage();
  }

  /** Whether the provider said the response failed (a Responses API {@code response.failed}). */
  public final boolean providerFailed() {
    return reader.providerFailed;
  }

  /** The model the response names, or null. */
  public final @Nullable String model() {
    return reader.model;
  }

  /** The provider's id of the response, or null. */
  public final @Nullable String responseId() {
    return reader.responseId;
  }

  /** Body bytes seen so far; for an encoded body, the decoded bytes read until usage was complete. */
  public final long bytes() {
    return bytes;
  }

  /** {@code true} when the body could not be parsed. */
  public final boolean failed() {
    return failed;
  }
}
