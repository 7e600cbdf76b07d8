package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a request says about its own cost before it leaves: the model, the bound on output tokens,
 * whether it streams, and an estimate of its input tokens.
 *
 * <p>For an OpenAI model the input is counted with its tokenizer ({@link TokenCounter}), messages
 * framed as OpenAI frames them ({@link PromptTokens}). For every other model it is a documented
 * heuristic: one token per four characters of the request's string values (the text the model
 * reads), plus four tokens of framing per value. When the body cannot be read it falls back to a
 * quarter of the body's length.
 */
public final class RequestInfo {
  static final int BYTES_PER_TOKEN = 4;

  public final @Nullable String model;
  /** {@code max_tokens}, {@code max_completion_tokens}, {@code max_output_tokens} or Gemini's {@code maxOutputTokens}; -1 if absent. */
  public final long maxOutputTokens;
  public final boolean stream;
  /**
   * The input tokens to reserve for: the estimate, or while {@link #isBound()} an upper bound of
   * the tokenizer's count that costs nothing to compute.
   */
  public final long estimatedInputTokens;
  /** How the input was counted: a tokenizer's name ({@code o200k_base}) or {@code chars/4}. */
  public final String counter;
  /** Whether the request asks for Anthropic's 1-hour cache ({@code "ttl":"1h"}): its cache writes are reserved at the 1-hour rate. */
  public final boolean cacheWrite1h;
  // Only while bound: what counting exactly needs, and the heuristic to fall back on.
  private final byte @Nullable [] body;
  private final @Nullable TokenCounter tokenizer;
  private final long heuristic;

  RequestInfo(@Nullable String model, long maxOutputTokens, boolean stream, long estimatedInputTokens) {
    this(model, maxOutputTokens, stream, estimatedInputTokens, false);
  }

  private RequestInfo(@Nullable String model, long maxOutputTokens, boolean stream, long estimatedInputTokens, boolean cacheWrite1h) {
    this(model, maxOutputTokens, stream, estimatedInputTokens, TokenCounter.HEURISTIC.name(), cacheWrite1h, null, null, 0);
  }

  private RequestInfo(@Nullable String model, long maxOutputTokens, boolean stream, long estimatedInputTokens, String counter,
      boolean cacheWrite1h, byte @Nullable [] body, @Nullable TokenCounter tokenizer, long heuristic) {
    this.model = model;
    this.maxOutputTokens = maxOutputTokens;
    this.stream = stream;
    this.estimatedInputTokens = estimatedInputTokens;
    this.counter = counter;
    this.cacheWrite1h = cacheWrite1h;
    this.body = body;
    this.tokenizer = tokenizer;
    this.heuristic = heuristic;
  }

  /**
   * Reads a request body. Never throws: an unreadable body gives an estimate from its length.
   *
   * @param body the body, or null if the client could not copy it
   * @param contentLength the body's length, or -1
   */
  public static RequestInfo inspect(Format format, byte @Nullable [] body, long contentLength) {
    return inspect(format, body, contentLength, null);
  }

  /**
   * Reads a request body as {@link #inspect(Format, byte[], long)}, counting its input with the
   * tokenizer of the body's model or, when the body names none (Gemini, Azure deployments), of
   * {@code modelHint}.
   */
  public static RequestInfo inspect(Format format, byte @Nullable [] body, long contentLength, @Nullable String modelHint) {
    return preflight(format, body, contentLength, modelHint).counted();
  }

  /**
   * Reads a request body as {@link #inspect(Format, byte[], long, String)} does, except that input
   * the model's tokenizer would count is not counted yet: it is {@linkplain #isBound() bounded} from
   * the bytes of its text, which is enough to reserve for while credits are plentiful. Counting costs
   * microseconds a call (the body parsed, every text hashed or encoded); the bound costs nothing.
   */
  public static RequestInfo preflight(Format format, byte @Nullable [] body, long contentLength, @Nullable String modelHint) {
    return preflight(format, body, contentLength, modelHint, BodyPointers.NONE, null);
  }

  /**
   * As {@link #preflight(Format, byte[], long, String)}, picking out in the same scan the string or
   * number each of {@code pointers} names into {@code found} (same index; null where the body has
   * none or could not be read).
   */
  public static RequestInfo preflight(Format format, byte @Nullable [] body, long contentLength, @Nullable String modelHint,
      BodyPointers pointers, String @Nullable [] found) {
    return preflight(format, format.requestKeys(), body, contentLength, modelHint, pointers, found);
  }

  /**
   * As {@link #preflight(Format, byte[], long, String, BodyPointers, String[])}, reading the keys
   * of one operation's requests ({@code Operation#requestKeys()}).
   */
  public static RequestInfo preflight(Format format, RequestKeys keys, byte @Nullable [] body, long contentLength,
      @Nullable String modelHint, BodyPointers pointers, String @Nullable [] found) {
    if (body == null) {
      return new RequestInfo(null, -1, keys.streamByDefault, TokenCounter.ceilDiv(Math.max(contentLength, 0), BYTES_PER_TOKEN));
    }
    RequestScanner scan = RequestScanner.scan(body, keys, pointers, found);
    if (scan == null) {
      if (found != null && !pointers.isEmpty()) {
        pickParsed(body, pointers, found); // rare: a body the scan passes to the parser anyway
      }
      return parse(format, keys, body, modelHint); // not a plain JSON object: the parser's reading, errors and all
    }
    long heuristic = heuristic(scan.textChars, scan.values);
    TokenCounter counter = TokenCounter.forModel(scan.model != null ? scan.model : modelHint);
    if (format.countsInputWithTokenizer() && counter.canTokenize()) {
      return new RequestInfo(scan.model, scan.maxOutput, scan.stream, scan.tokenBound, counter.name(), scan.cacheTtl1h, body, counter,
          heuristic);
    }
    return new RequestInfo(scan.model, scan.maxOutput, scan.stream, heuristic, scan.cacheTtl1h);
  }

  /**
   * This request with {@code maxOutputTokens} as its bound on output tokens when it says none itself
   * (gRPC's protobuf requests, whose bound is read from the message, not the body); itself when it
   * does, or when {@code maxOutputTokens} is not positive.
   */
  public RequestInfo boundedBy(long maxOutputTokens) {
    if (maxOutputTokens <= 0 || this.maxOutputTokens > 0) {
      return this;
    }
    return new RequestInfo(model, maxOutputTokens, stream, estimatedInputTokens, counter, cacheWrite1h, body, tokenizer, heuristic);
  }

  /**
   * Starts loading the tokenizer {@link #counted()} will need, if it is not loaded: the meter calls
   * this as credits approach the point where it must count. A tokenizer is otherwise never loaded
   * (about 30 MB of heap and a second or two of CPU) by a JVM whose calls never come near its limit.
   */
  public void prepareCounting() {
    if (tokenizer != null) {
      tokenizer.isTokenizer();
    }
  }

  /** Whether {@link #estimatedInputTokens} is an upper bound still to be {@linkplain #counted() counted}. */
  public boolean isBound() {
    return tokenizer != null;
  }

  /** This request with its input counted by the tokenizer; itself when it is not {@linkplain #isBound() bound}. */
  public RequestInfo counted() {
    if (tokenizer == null) {
      return this;
    }
    if (!tokenizer.isTokenizer()) {
      // Still loading (now started), or failed to: the heuristic, as for a JVM's first calls.
      return new RequestInfo(model, maxOutputTokens, stream, heuristic, cacheWrite1h);
    }
    try {
      return new RequestInfo(model, maxOutputTokens, stream, PromptTokens.count(Objects.requireNonNull(body,
          "a bound request keeps its body"), tokenizer),
          tokenizer.name(), cacheWrite1h, null, null, 0);
    } catch (IOException | RuntimeException e) {
      return new RequestInfo(model, maxOutputTokens, stream, heuristic, cacheWrite1h); // the tokenizer failed on it
    }
  }

  /** The reading of a body the scanner passes by, with Jackson's parser. */
  static RequestInfo parse(Format format, byte[] body, @Nullable String modelHint) {
    return parse(format, format.requestKeys(), body, modelHint);
  }

  private static RequestInfo parse(Format format, RequestKeys keys, byte[] body, @Nullable String modelHint) {
    Scan scan = new Scan(keys);
    try (JsonParser p = UsageTap.JSON.createParser(body)) {
      scan.run(p);
    } catch (IOException | RuntimeException e) {
      return new RequestInfo(scan.model, scan.maxOutput, scan.stream, TokenCounter.ceilDiv(body.length, BYTES_PER_TOKEN),
          scan.cacheTtl1h);
    }
    long heuristic = heuristic(scan.textBytes, scan.values);
    TokenCounter counter = TokenCounter.forModel(scan.model != null ? scan.model : modelHint);
    if (format.countsInputWithTokenizer() && counter.canTokenize()) {
      return new RequestInfo(scan.model, scan.maxOutput, scan.stream, 0, counter.name(), scan.cacheTtl1h, body, counter, heuristic)
          .counted();
    }
    return new RequestInfo(scan.model, scan.maxOutput, scan.stream, heuristic, scan.cacheTtl1h);
  }

  private static void pickParsed(byte[] body, BodyPointers pointers, String[] found) {
    java.util.Arrays.fill(found, null);
    try {
      com.fasterxml.jackson.databind.JsonNode root = Tree.MAPPER.readTree(body);
      for (int p = 0; p < pointers.size(); p++) {
        com.fasterxml.jackson.databind.JsonNode n = root == null ? null : root.at(pointers.get(p));
        found[p] = n != null && (n.isTextual() || n.isNumber()) ? n.asText() : null;
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: no body attributes
    }
  }

  /** Loaded only when a body with attribute pointers needs the parser. */
  private static final class Tree {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper(UsageTap.JSON);
  }

  private static long heuristic(long textChars, long values) {
    return TokenCounter.ceilDiv(textChars, BYTES_PER_TOKEN) + 4L * values;
  }

  /** Plain text the model will read, as {@code Tollgate.estimate} gets it: counted with the model's tokenizer, or chars/4. */
  public static RequestInfo ofText(@Nullable String model, String text) {
    TokenCounter counter = TokenCounter.forModel(model);
    return new RequestInfo(model, -1, false, counter.count(text), counter.isTokenizer() ? counter.name() : TokenCounter.HEURISTIC.name(),
        false, null, null, 0);
  }

  /** Gemini names the model in the path: {@code …/models/gemini-2.5-flash:generateContent}. */
  public static @Nullable String modelFromGeminiPath(String url) {
    return Endpoint.segmentAfter(url, "/models/", ':');
  }

  static final class Scan {
    private final RequestKeys keys;
    @Nullable
    String model;
    long maxOutput = -1;
    boolean stream;
    long textBytes;
    long values;
    boolean cacheTtl1h;

    Scan(RequestKeys keys) {
      this.keys = keys;
      this.stream = keys.streamByDefault;
    }

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

    private void value(@Nullable String name, int depth, @Nullable String parent, JsonParser p, JsonToken t) throws IOException {
      if (depth == 1 && name != null) {
        if (name.equals(RequestKeys.MODEL)) {
          model = t == JsonToken.VALUE_STRING ? p.getText() : null;
          return;
        }
        if (RequestKeys.indexOf(keys.maxOutput, name) >= 0) {
          maxOutput = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : maxOutput;
          return;
        }
        if (name.equals(RequestKeys.STREAM)) {
          stream = t == JsonToken.VALUE_TRUE;
          return;
        }
      }
      int container = depth == 2 ? RequestKeys.indexOf(keys.nestedIn, parent) : -1;
      if (container >= 0 && keys.nestedMaxOutput[container].equals(name) && t == JsonToken.VALUE_NUMBER_INT) {
        maxOutput = p.getLongValue();
        return;
      }
      if (t == JsonToken.VALUE_STRING) {
        textBytes += p.getTextLength(); // chars; close enough to UTF-8 bytes for an estimate
        values++;
        if (p.getParsingContext().inObject() && RequestKeys.TTL.equals(p.currentName()) && RequestKeys.ONE_HOUR.equals(p.getText())) {
          cacheTtl1h = true;
        }
      }
    }
  }
}
