package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import java.io.IOException;

/**
 * What a request says about its own cost before it leaves: the model, the bound on output tokens,
 * whether it streams, and an estimate of its input tokens.
 *
 * <p>The input estimate is a documented heuristic: one token per four bytes of UTF-8 text in the
 * request's string values (the text the model reads), plus four tokens of framing per value. When
 * the body cannot be read it falls back to a quarter of the body's length.
 */
public final class RequestInfo {
  static final int BYTES_PER_TOKEN = 4;

  public final /* @Nullable */ String model;
  /** {@code max_tokens}, {@code max_completion_tokens}, {@code max_output_tokens} or Gemini's {@code maxOutputTokens}; -1 if absent. */
  public final long maxOutputTokens;
  public final boolean stream;
  public final long estimatedInputTokens;

  RequestInfo(/* @Nullable */ String model, long maxOutputTokens, boolean stream, long estimatedInputTokens) {
    this.model = model;
    this.maxOutputTokens = maxOutputTokens;
    this.stream = stream;
    this.estimatedInputTokens = estimatedInputTokens;
  }

  /**
   * Reads a request body. Never throws: an unreadable body gives an estimate from its length.
   *
   * @param body the body, or null if the client could not copy it
   * @param contentLength the body's length, or -1
   */
  public static RequestInfo inspect(Format format, /* @Nullable */ byte[] body, long contentLength) {
    if (body == null) {
      return new RequestInfo(null, -1, false, ceilDiv(Math.max(contentLength, 0), BYTES_PER_TOKEN));
    }
    Scan scan = new Scan();
    try (JsonParser p = UsageTap.JSON.createParser(body)) {
      scan.run(p);
    } catch (IOException | RuntimeException e) {
      return new RequestInfo(scan.model, scan.maxOutput, scan.stream, ceilDiv(body.length, BYTES_PER_TOKEN));
    }
    return new RequestInfo(scan.model, scan.maxOutput, scan.stream, ceilDiv(scan.textBytes, BYTES_PER_TOKEN) + 4L * scan.values);
  }

  /** Gemini names the model in the path: {@code …/models/gemini-2.5-flash:generateContent}. */
  public static /* @Nullable */ String modelFromGeminiPath(String url) {
    return Endpoint.segmentAfter(url, "/models/", ':');
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static final class Scan {
    String model;
    long maxOutput = -1;
    boolean stream;
    long textBytes;
    long values;

    void run(JsonParser p) throws IOException {
      int depth = 0;
      String[] names = new String[4];
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
          if (depth < names.length) {
            names[depth] = null;
          }
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME) {
          if (depth < names.length) {
            names[depth] = p.currentName();
          }
        } else {
          value(depth < names.length ? names[depth] : null, depth, depth >= 2 && depth < names.length + 1 ? names[depth - 1] : null, p, t);
        }
      }
    }

    private void value(/* @Nullable */ String name, int depth, /* @Nullable */ String parent, JsonParser p, JsonToken t) throws IOException {
      if (depth == 1 && name != null) {
        switch (name) {
          case "model":
            model = t == JsonToken.VALUE_STRING ? p.getText() : null;
            return;
          case "max_tokens":
          case "max_completion_tokens":
          case "max_output_tokens":
            maxOutput = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : maxOutput;
            return;
          case "stream":
            stream = t == JsonToken.VALUE_TRUE;
            return;
          default:
        }
      }
      if (depth == 2 && "generationConfig".equals(parent) && "maxOutputTokens".equals(name) && t == JsonToken.VALUE_NUMBER_INT) {
        maxOutput = p.getLongValue();
        return;
      }
      if (t == JsonToken.VALUE_STRING) {
        textBytes += p.getTextLength(); // chars; close enough to UTF-8 bytes for an estimate
        values++;
      }
    }
  }
}
