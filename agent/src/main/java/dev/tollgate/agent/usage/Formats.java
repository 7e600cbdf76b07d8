package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every wire format Tollgate reads, registered once: adding a format is one class and one line in {@link #ALL}. */
public final class Formats {
  public static final Format OPENAI = new OpenAiFormat();
  public static final Format ANTHROPIC = new AnthropicFormat();
  public static final Format GEMINI = new GeminiFormat();
  public static final Format COHERE = new CohereFormat();
  public static final Format BEDROCK = new BedrockFormat();
  public static final Format OLLAMA = new OllamaFormat();

  /** The registered formats; configuration's known names ({@code tollgate.endpoint.<name>.format}) are theirs. */
  public static final List<Format> ALL = List.of(OPENAI, ANTHROPIC, GEMINI, COHERE, OLLAMA, BEDROCK);

  private Formats() {}

  /** The format configured as {@code name} (any case), or null when no format has that name. */
  public static /* @Nullable */ Format named(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Format f : ALL) {
      if (f.wireName().equals(lower)) {
        return f;
      }
    }
    return null;
  }

  /**
   * The format configured as {@code name} (any case).
   *
   * @throws IllegalArgumentException naming the known formats, when no format has that name
   */
  public static Format require(String name) {
    Format f = named(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown format " + name + ": one of " + String.join(", ", names()));
    }
    return f;
  }

  /** The configuration names of {@link #ALL}, in order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (Format f : ALL) {
      names.add(f.wireName());
    }
    return names;
  }
}
