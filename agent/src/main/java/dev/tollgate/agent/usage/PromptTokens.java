package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The input tokens of an OpenAI-shaped request body, counted with the model's tokenizer. For chat
 * messages this is OpenAI's own formula (the cookbook's {@code num_tokens_from_messages}): three
 * tokens of framing per message, the tokens of each of its strings (role, content, name), one more
 * for a name, and three to prime the reply. Strings elsewhere (the Responses API's {@code input} and
 * {@code instructions}, an embeddings {@code input}, tool definitions, a response schema) are counted
 * as text. Function tools add the framing the cookbook measured for {@code num_tokens_for_tools}
 * (per function, per property, per enum value, and once for the list). Inline media ({@code data:}
 * URLs) are counted at four characters a token: what an image or a sound costs depends on its size,
 * which the body does not say.
 */
final class PromptTokens {
  private static final int PER_MESSAGE = 3;
  private static final int PER_NAME = 1;
  private static final int REPLY_PRIMING = 3;
  // OpenAI cookbook, "Counting tokens for chat completions with tool calls" (gpt-4o / gpt-4 values).
  private static final int FUNCTION_O200K = 7;
  private static final int FUNCTION_CL100K = 10;
  private static final int PROPERTIES = 3;
  private static final int PROPERTY = 3;
  private static final int ENUM = -3;
  private static final int ENUM_ITEM = 3;
  private static final int TOOLS_END = 12;

  private final TokenCounter counter;
  private String[] names = new String[8];
  private String[] openedBy = new String[8];
  private int depth;
  private long tokens;
  private boolean chat;

  private PromptTokens(TokenCounter counter) {
    this.counter = counter;
  }

  /** Counts {@code body}. @throws IOException if it is not JSON */
  static long count(byte[] body, TokenCounter counter) throws IOException {
    PromptTokens t = new PromptTokens(counter);
    try (JsonParser p = UsageTap.JSON.createParser(body)) {
      t.run(p);
    }
    return t.tokens + (t.chat ? REPLY_PRIMING : 0);
  }

  private void run(JsonParser p) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      switch (t) {
        case START_OBJECT:
        case START_ARRAY:
          open(t == JsonToken.START_OBJECT);
          break;
        case END_OBJECT:
        case END_ARRAY:
          close();
          break;
        case FIELD_NAME:
          field(p.currentName());
          break;
        case VALUE_STRING:
          string(p.getText());
          break;
        default:
      }
    }
  }

  private void open(boolean object) {
    String by = names[depth];
    depth++;
    if (depth >= names.length) {
      names = Arrays.copyOf(names, names.length * 2);
      openedBy = Arrays.copyOf(openedBy, openedBy.length * 2);
    }
    names[depth] = null;
    openedBy[depth] = by;
    if (object && isMessage()) {
      tokens += PER_MESSAGE;
      chat = true;
    } else if (inTools()) {
      tokens += object && depth == 3 ? (counter.name().equals("cl100k_base") ? FUNCTION_CL100K : FUNCTION_O200K)
          : object && "properties".equals(by) ? PROPERTIES : !object && "enum".equals(by) ? ENUM : 0;
    }
  }

  private void close() {
    depth--;
    if (depth == 1 && "tools".equals(names[1])) {
      tokens += TOOLS_END;
    }
  }

  private void field(String name) {
    names[depth] = name;
    if (inTools() && "properties".equals(openedBy[depth])) {
      tokens += PROPERTY + counter.count(name); // a property's name is part of its "name:type:description" line
    }
  }

  private boolean inTools() {
    return depth >= 2 && "tools".equals(names[1]);
  }

  /** An object directly in the top-level {@code messages} array. */
  private boolean isMessage() {
    return depth == 3 && "messages".equals(names[1]);
  }

  private void string(String s) {
    if (depth == 1 && !isPromptField(names[1])) {
      return; // model, user, service_tier, reasoning_effort…: not text the model reads
    }
    tokens += s.startsWith("data:") ? TokenCounter.HEURISTIC.count(s) : counter.count(s);
    if (inTools() && "enum".equals(openedBy[depth])) {
      tokens += ENUM_ITEM;
    }
    if (depth == 3 && "name".equals(names[3]) && "messages".equals(names[1])) {
      tokens += PER_NAME;
    }
  }

  private static boolean isPromptField(@Nullable String name) {
    return "input".equals(name) || "instructions".equals(name) || "prompt".equals(name);
  }
}
