package dev.tollgate.agent.endpoint;

import dev.tollgate.agent.usage.Formats;
import dev.tollgate.agent.usage.RequestKeys;
import dev.tollgate.agent.usage.UsageTap;
import java.util.List;

/**
 * A provider wire format, as one strategy: its configuration name, which paths are its model
 * operations, where a path names the model, which request keys bound the call, and how its
 * responses (JSON and streams) report usage. Each format is one subclass, registered once in
 * {@code dev.tollgate.agent.usage.Formats#ALL}; configuration's known names come from that list.
 */
public abstract class Format {
  private final String wireName;

  protected Format(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The registered format configured as {@code name} (any case).
   *
   * @throws IllegalArgumentException naming the known formats, when none has that name
   */
  public static Format forName(String name) {
    return Formats.require(name);
  }

  /** The lower-case name used in configuration ({@code tollgate.endpoint.<name>.format}). */
  public final String wireName() {
    return wireName;
  }

  /** The model operations of this format on {@code endpoint}, built with {@link #operation}; called once per endpoint. */
  protected abstract List<Operation> operations(Endpoint endpoint);

  /**
   * An operation whose path ends with {@code pathSuffix}, reading its request with this format's
   * {@link #requestKeys()}.
   *
   * @param alwaysStreams the path itself asks for a stream (Gemini {@code streamGenerateContent})
   */
  protected final Operation operation(Endpoint endpoint, String name, String pathSuffix, boolean alwaysStreams) {
    return new Operation(endpoint, name, pathSuffix, alwaysStreams, requestKeys());
  }

  /** As {@link #operation(Endpoint, String, String, boolean)}, reading its request with {@code keys}. */
  protected final Operation operation(Endpoint endpoint, String name, String pathSuffix, boolean alwaysStreams, RequestKeys keys) {
    return new Operation(endpoint, name, pathSuffix, alwaysStreams, keys);
  }

  /**
   * Whether {@code url}, whose path (ending at {@code pathEnd}) ends with {@code op}'s suffix past the
   * endpoint's prefix (ending at {@code baseEnd}), really is that operation: for a suffix that alone
   * is ambiguous (Vertex AI's {@code :rawPredict} serves every publisher). Called on every match, so it
   * must allocate nothing; {@code true} by default.
   */
  protected boolean isOperationPath(Operation op, String url, int baseEnd, int pathEnd) {
    return true;
  }

  /** The request keys that name the model, bound the output and ask for a stream. */
  public RequestKeys requestKeys() {
    return RequestKeys.COMMON;
  }

  /**
   * The model a URL names in its path, for requests whose body does not; by default an Azure
   * OpenAI deployment ({@code …/openai/deployments/my-gpt-4o/chat/completions}, the deployment's name).
   */
  public /* @Nullable */ String modelInPath(String url) {
    return Endpoint.segmentAfter(url, "/deployments/", '/');
  }

  /**
   * The price table ({@code providers.<name>} of the catalog and the pricing file) every endpoint
   * of this format is priced from, whatever its own name; null (the default) to price by the
   * endpoint's provider. Ollama's: {@code ollama}, whose default price is 0 (local models).
   */
  public /* @Nullable */ String priceTable() {
    return null;
  }

  /** Whether request input is counted with the model's tokenizer (messages framed as OpenAI frames them) when one is known. */
  public boolean countsInputWithTokenizer() {
    return false;
  }

  /** A new tap reading usage from a response of {@code contentType} (null when the response names none). */
  public abstract UsageTap newTap(/* @Nullable */ String contentType);

  @Override
  public final String toString() {
    return wireName;
  }
}
