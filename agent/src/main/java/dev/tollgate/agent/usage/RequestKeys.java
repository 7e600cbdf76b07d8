package dev.tollgate.agent.usage;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The keys of a request body that say what the call may cost: the model, the bound on output
 * tokens (at the root, or one level down as Gemini's {@code generationConfig.maxOutputTokens}) and
 * whether it streams. One definition read by both the fast {@link RequestScanner} and the parser's
 * reading ({@link RequestInfo}), so the two cannot drift apart. Immutable.
 */
public final class RequestKeys {
  /** What OpenAI, Anthropic, Gemini and Cohere requests use (all read for each of them, as before formats were strategies). */
  public static final RequestKeys COMMON = new RequestKeys(
      new String[] {"max_tokens", "max_completion_tokens", "max_output_tokens"},
      new String[] {"generationConfig"}, new String[] {"maxOutputTokens"}, false);

  static final String MODEL = "model";
  static final String STREAM = "stream";
  /**
   * Anthropic's {@code cache_control: {"type": "ephemeral", "ttl": "1h"}} asks for the 1-hour cache,
   * whose writes cost more than the 5-minute one's: a member {@code "ttl":"1h"} anywhere in the body
   * makes the reservation use the 1-hour write rate. Read wherever it is (a system block, a message's
   * content, a tool, the root), without tracking the {@code cache_control} around it: where it means
   * something else, the reservation is only higher than it needs to be, never the settled cost.
   */
  static final String TTL = "ttl";
  static final String ONE_HOUR = "1h";

  final String[] maxOutput;
  /** Containers at the root (same index as {@link #nestedMaxOutput}) whose member bounds the output. */
  final String[] nestedIn;
  final String[] nestedMaxOutput;
  /** What a request without a {@code stream} key does (Ollama's chat and generate stream unless told not to). */
  final boolean streamByDefault;
  // The same keys as UTF-8 bytes, for the scanner.
  final byte[][] maxOutputBytes;
  final byte[][] nestedInBytes;
  final byte[][] nestedMaxOutputBytes;

  private RequestKeys(String[] maxOutput, String[] nestedIn, String[] nestedMaxOutput, boolean streamByDefault) {
    this.maxOutput = maxOutput;
    this.nestedIn = nestedIn;
    this.nestedMaxOutput = nestedMaxOutput;
    this.streamByDefault = streamByDefault;
    this.maxOutputBytes = ascii(maxOutput);
    this.nestedInBytes = ascii(nestedIn);
    this.nestedMaxOutputBytes = ascii(nestedMaxOutput);
  }

  /** These keys, also reading the output bound from the root's {@code key}. */
  public RequestKeys withMaxOutput(String key) {
    return new RequestKeys(append(maxOutput, key), nestedIn, nestedMaxOutput, streamByDefault);
  }

  /** These keys, also reading the output bound from {@code member} of the root object's {@code container}. */
  public RequestKeys withMaxOutputIn(String container, String member) {
    return new RequestKeys(maxOutput, append(nestedIn, container), append(nestedMaxOutput, member), streamByDefault);
  }

  /** These keys, for a request that streams unless its {@code stream} key says {@code false}. */
  public RequestKeys streamingByDefault() {
    return new RequestKeys(maxOutput, nestedIn, nestedMaxOutput, true);
  }

  /** The index of {@code name} in {@code names}, or -1. */
  static int indexOf(String[] names, @Nullable String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String[] append(String[] a, String s) {
    String[] r = Arrays.copyOf(a, a.length + 1);
    r[a.length] = s;
    return r;
  }

  private static byte[][] ascii(String[] names) {
    byte[][] r = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      r[i] = EventFilter.ascii(names[i]);
    }
    return r;
  }
}
