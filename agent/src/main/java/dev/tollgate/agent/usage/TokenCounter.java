package dev.tollgate.agent.usage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tollgate.agent.bootstrap.AppThreads;
import dev.tollgate.agent.log.Log;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Counts the tokens of input text for the pre-flight estimate. OpenAI models are counted with their
 * real tokenizer (JTokkit): {@code o200k_base} for gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and the o-series,
 * {@code cl100k_base} for gpt-4, gpt-3.5 and the text-embedding models. Every other model (Claude,
 * Gemini, Mistral, Grok, DeepSeek: their tokenizers are not public or not in Java) is counted with
 * the documented heuristic of one token per four characters.
 *
 * <p>An encoding is loaded in the background from the first metered call to such a model, never at
 * agent start; until it is ready (and if it cannot be loaded, with one log line) counting uses the
 * heuristic, which reserves more, never less. {@link #load} loads one synchronously (tests, the CLI).
 */
public abstract class TokenCounter {
  /** One token per four characters, rounded up. */
  public static final TokenCounter HEURISTIC = new Heuristic();
  static final int CHARS_PER_TOKEN = 4;
  private static final Pattern O_SERIES = Pattern.compile("o\\d.*");

  private TokenCounter() {}

  private static volatile boolean tokenizers = true;
  private static final int MAX_REMEMBERED_MODELS = 1024;
  private static final Map<String, TokenCounter> BY_MODEL = new ConcurrentHashMap<>();

  /** {@code tollgate.tokenizer=heuristic}: never load an encoding; every model is counted with the heuristic. */
  public static void useTokenizers(boolean use) {
    tokenizers = use;
  }

  /** The counter for {@code model}: its OpenAI encoding when it has one (and tokenizers are on), else the heuristic. */
  public static TokenCounter forModel(@Nullable String model) {
    if (model == null || !tokenizers) {
      return HEURISTIC;
    }
    // Every metered call asks, so the answer is kept per model name (a bounded few).
    TokenCounter counter = BY_MODEL.get(model);
    if (counter == null) {
      EncodingType type = encodingOf(model);
      counter = type == EncodingType.O200K_BASE ? Tiktoken.O200K : type == EncodingType.CL100K_BASE ? Tiktoken.CL100K : HEURISTIC;
      if (BY_MODEL.size() < MAX_REMEMBERED_MODELS) {
        BY_MODEL.put(model, counter);
      }
    }
    return counter;
  }

  static @Nullable EncodingType encodingOf(String model) {
    String m = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    m = m.startsWith("ft:") ? m.substring(3) : m; // fine-tunes: ft:gpt-4o-mini:org::id
    if (m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5") || O_SERIES.matcher(m).matches()) {
      return EncodingType.O200K_BASE;
    }
    if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("text-embedding-")) {
      return EncodingType.CL100K_BASE;
    }
    return null;
  }

  /** Loads {@code model}'s tokenizer now, on this thread; false for a model without one or a failed load. */
  public static boolean load(@Nullable String model) {
    TokenCounter c = forModel(model);
    return c instanceof Tiktoken && ((Tiktoken) c).loadNow();
  }

  /** What counts: {@code o200k_base}, {@code cl100k_base} or {@code chars/4}. */
  public abstract String name();

  /** The tokens of {@code text}. */
  public abstract long count(String text);

  /** True when this is a real tokenizer, so message framing can be counted exactly too. Starts loading it. */
  public abstract boolean isTokenizer();

  /** True when this is a real tokenizer that is loaded or may still load; starts nothing. */
  public boolean canTokenize() {
    return false;
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static final class Heuristic extends TokenCounter {
    @Override
    public String name() {
      return "chars/4";
    }

    @Override
    public long count(String text) {
      return ceilDiv(text.length(), CHARS_PER_TOKEN);
    }

    @Override
    public boolean isTokenizer() {
      return false;
    }
  }

  private static final class Tiktoken extends TokenCounter {
    static final Tiktoken O200K = new Tiktoken(EncodingType.O200K_BASE);
    static final Tiktoken CL100K = new Tiktoken(EncodingType.CL100K_BASE);

    /** Texts shorter than this are counted every time: hashing and comparing them costs about what counting does. */
    private static final int MIN_CACHED_LENGTH = 16;
    /** The counts kept, weighed in characters (about 2 MB of text at most, per encoding). */
    private static final long CACHED_CHARS = 1L << 20;

    private final EncodingType type;
    /**
     * Counts of texts seen before. A conversation re-sends its whole history with every turn, and a
     * system prompt goes with every call: without this each of them is tokenized again, call after
     * call. Bounded by the characters it holds; a lookup hashes and compares the text, which is
     * tens of times cheaper than byte-pair encoding it.
     */
    private final Cache<String, Long> counted = Caffeine.newBuilder()
        .maximumWeight(CACHED_CHARS)
        .weigher((String text, Long count) -> text.length())
        .executor(Runnable::run)
        .build();
    private volatile @Nullable Encoding encoding;
    private volatile boolean failed;
    private final java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean();

    private Tiktoken(EncodingType type) {
      this.type = type;
    }

    @Override
    public String name() {
      return type.getName();
    }

    @Override
    public long count(String text) {
      Encoding e = encoding();
      if (e == null) {
        return HEURISTIC.count(text);
      }
      if (text.length() < MIN_CACHED_LENGTH) {
        return e.countTokensOrdinary(text);
      }
      return counted.get(text, t -> (long) e.countTokensOrdinary(t));
    }

    @Override
    public boolean isTokenizer() {
      return encoding() != null;
    }

    @Override
    public boolean canTokenize() {
      return !failed;
    }

    /**
     * The encoding if it is loaded, else null (and the heuristic, which over-reserves, never
     * under-reserves). The first call starts loading it on a daemon thread: loading takes a second or
     * more and tens of MB, and a metered call never waits for it.
     */
    private @Nullable Encoding encoding() {
      Encoding e = encoding;
      if (e == null && !failed && loading.compareAndSet(false, true)) {
        AppThreads.daemon(this::loadNow, "tollgate-tokenizer-" + type.getName()).start(); // started by the calling thread
      }
      return e;
    }

    /** Loads the encoding on this thread, once; false if it cannot be loaded. */
    synchronized boolean loadNow() {
      loading.set(true);
      if (encoding == null && !failed) {
        try {
          long t0 = System.nanoTime();
          encoding = Encodings.newLazyEncodingRegistry().getEncoding(type);
          Log.debug("loaded the " + type.getName() + " tokenizer in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (RuntimeException | LinkageError ex) {
          failed = true;
          Log.once("tokenizer-" + type.getName(), Log.Level.WARN, "cannot load the " + type.getName()
              + " tokenizer; input is estimated at one token per four characters", ex);
        }
      }
      return encoding != null;
    }
  }
}
