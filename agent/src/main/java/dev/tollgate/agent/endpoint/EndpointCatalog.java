package dev.tollgate.agent.endpoint;

import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.usage.Formats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every metered endpoint: the configured ones ({@code tollgate.endpoint.<name>}) first, then the
 * built-in ones. Classifying a URL that is not metered is a handful of {@code startsWith} checks
 * and allocates nothing; a metered URL seen before is looked up.
 */
public final class EndpointCatalog {
  /** URLs remembered at most: an application calls a handful; one that puts ids in paths must not grow the map for ever. */
  private static final int MAX_REMEMBERED_URLS = 1024;
  private static final Object NOT_METERED = new Object();

  private final Endpoint[] endpoints;
  /**
   * What each POSTed URL was classified as (an {@link Operation} or {@link #NOT_METERED}): every call
   * to the same operation classifies the same string, and a lookup is several times cheaper than
   * matching it against every endpoint. URLs with a query are not kept (a Gemini key can be in one).
   */
  private final ConcurrentHashMap<String, Object> classified = new ConcurrentHashMap<>();

  private EndpointCatalog(List<Endpoint> endpoints) {
    this.endpoints = endpoints.toArray(new Endpoint[0]);
  }

  /** The built-in endpoints only. */
  public static EndpointCatalog builtIn() {
    return new EndpointCatalog(builtInEndpoints());
  }

  /** Configured endpoints ahead of the built-in ones, so a configuration can override a host. */
  public static EndpointCatalog of(Collection<TollgateConfig.EndpointSetting> settings) {
    List<Endpoint> all = new ArrayList<>();
    for (TollgateConfig.EndpointSetting s : settings) {
      all.add(new Endpoint(s.name, s.url, Format.forName(s.format)));
    }
    all.addAll(builtInEndpoints());
    return new EndpointCatalog(all);
  }

  private static List<Endpoint> builtInEndpoints() {
    return List.of(
        new Endpoint("openai", "https://api.openai.com/v1", Formats.OPENAI),
        new Endpoint("anthropic", "https://api.anthropic.com/v1", Formats.ANTHROPIC),
        new Endpoint("openrouter", "https://openrouter.ai/api/v1", Formats.OPENAI),
        new Endpoint("gemini", "https://generativelanguage.googleapis.com", Formats.GEMINI),
        // Vertex AI: {region}-aiplatform.googleapis.com, and the global endpoint.
        new Endpoint("vertex", "https://*-aiplatform.googleapis.com", Formats.GEMINI),
        new Endpoint("vertex", "https://aiplatform.googleapis.com", Formats.GEMINI),
        // Claude on Vertex AI: …/publishers/anthropic/models/{model}:rawPredict and :streamRawPredict.
        new Endpoint("vertex", "https://*-aiplatform.googleapis.com", Formats.ANTHROPIC),
        new Endpoint("vertex", "https://aiplatform.googleapis.com", Formats.ANTHROPIC),
        // Gemini's OpenAI-compatible API, priced as Gemini.
        new Endpoint("gemini", "https://generativelanguage.googleapis.com/v1beta/openai", Formats.OPENAI),
        // Azure OpenAI: deployment paths (/openai/deployments/{name}/…) and the v1 API (/openai/v1/…).
        new Endpoint("azure", "https://*.openai.azure.com/openai", Formats.OPENAI),
        new Endpoint("azure", "https://*.cognitiveservices.azure.com/openai", Formats.OPENAI),
        new Endpoint("azure", "https://*.services.ai.azure.com/openai", Formats.OPENAI),
        new Endpoint("azure", "https://*.services.ai.azure.com/models", Formats.OPENAI),
        new Endpoint("mistral", "https://api.mistral.ai/v1", Formats.OPENAI),
        new Endpoint("groq", "https://api.groq.com/openai/v1", Formats.OPENAI),
        new Endpoint("deepseek", "https://api.deepseek.com", Formats.OPENAI),
        new Endpoint("together", "https://api.together.xyz/v1", Formats.OPENAI),
        new Endpoint("xai", "https://api.x.ai/v1", Formats.OPENAI),
        new Endpoint("fireworks", "https://api.fireworks.ai/inference/v1", Formats.OPENAI),
        new Endpoint("cohere", "https://api.cohere.com/v2", Formats.COHERE),
        new Endpoint("cohere", "https://api.cohere.ai/v2", Formats.COHERE),
        new Endpoint("cohere", "https://api.cohere.ai/compatibility/v1", Formats.OPENAI),
        // Amazon Bedrock's OpenAI-compatible API (Mantle), as openai-java's Bedrock setup calls it.
        new Endpoint("bedrock", "https://bedrock-mantle.*.api.aws/v1", Formats.OPENAI),
        new Endpoint("bedrock", "https://bedrock-mantle.*.api.aws/openai/v1", Formats.OPENAI),
        // Bedrock Runtime in every region: bedrock-runtime.{region}.amazonaws.com (.com.cn in China).
        new Endpoint("bedrock", "https://bedrock-runtime.*.amazonaws.com", Formats.BEDROCK),
        new Endpoint("bedrock", "https://bedrock-runtime-fips.*.amazonaws.com", Formats.BEDROCK),
        new Endpoint("bedrock", "https://bedrock-runtime.*.amazonaws.com.cn", Formats.BEDROCK),
        // Ollama's default address, its native API and its OpenAI-compatible one: local models, priced
        // from the ollama table (0 unless the pricing file prices them).
        new Endpoint("ollama", "http://localhost:11434", Formats.OLLAMA),
        new Endpoint("ollama", "http://localhost:11434/v1", Formats.OPENAI));
  }

  /** The metered operation {@code method url} calls, or {@code null}. Only POSTs are metered. */
  public /* @Nullable */ Operation classify(String method, String url) {
    if (!"POST".equals(method)) {
      return null;
    }
    Object known = classified.get(url);
    if (known != null) {
      return known == NOT_METERED ? null : (Operation) known;
    }
    Operation op = match(url);
    if (op == null) {
      String plain = withoutEmptySegments(withoutDefaultPort(url));
      if (plain != url) {
        op = match(plain);
      }
    }
    if (classified.size() < MAX_REMEMBERED_URLS && url.indexOf('?') < 0) {
      classified.put(url, op == null ? NOT_METERED : op);
    }
    return op;
  }

  /**
   * {@code url} without a port its scheme implies ({@code https://host:443/…}, {@code http://host:80/…}),
   * as Vertex AI's REST transport and some proxies spell it; the same instance when there is none,
   * so a URL without one allocates nothing.
   */
  static String withoutDefaultPort(String url) {
    String port;
    int authority;
    if (url.startsWith("https://")) {
      port = ":443";
      authority = 8;
    } else if (url.startsWith("http://")) {
      port = ":80";
      authority = 7;
    } else {
      return url;
    }
    int end = authority;
    while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?' && url.charAt(end) != '#') {
      end++;
    }
    int at = end - port.length();
    if (at <= authority || !url.startsWith(port, at) || url.charAt(at - 1) == ':') {
      return url;
    }
    return url.substring(0, at) + url.substring(end);
  }

  /**
   * {@code url} with each run of slashes in its path made one ({@code https://host//openai/…}, as the
   * Azure SDK builds it from an endpoint given with a trailing slash, the way the portal shows it);
   * the same instance when there is none. The query is left as it is.
   */
  static String withoutEmptySegments(String url) {
    int scheme = url.indexOf("://");
    int query = url.indexOf('?');
    int end = query < 0 ? url.length() : query;
    int first = url.indexOf("//", scheme < 0 ? 0 : scheme + 3);
    if (first < 0 || first >= end) {
      return url;
    }
    StringBuilder b = new StringBuilder(url.length()).append(url, 0, first);
    for (int i = first; i < end; i++) {
      char c = url.charAt(i);
      if (c != '/' || b.charAt(b.length() - 1) != '/') {
        b.append(c);
      }
    }
    return b.append(url, end, url.length()).toString();
  }

  private /* @Nullable */ Operation match(String url) {
    for (Endpoint e : endpoints) {
      Operation op = e.match(url);
      if (op != null) {
        return op;
      }
    }
    return null;
  }

  /**
   * Whether a URL on {@code host} can be metered at all: lets a client that holds the host apart
   * from the URL rule out a call before it builds the URL's string. Allocates nothing.
   */
  public boolean mayMeterHost(String host) {
    for (Endpoint e : endpoints) {
      if (e.mayMatchHost(host)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The endpoint a connection to {@code host:port} reaches, or null; for connection set-up, not the
   * per-call path. With several, one a hooked client called within {@code windowNanos} comes first.
   */
  public /* @Nullable */ Endpoint servingAddress(String host, int port, long nowNanos, long windowNanos) {
    Endpoint found = null;
    for (Endpoint e : endpoints) {
      if (e.servesAddress(host, port)) {
        if (e.calledWithin(nowNanos, windowNanos)) {
          return e;
        }
        found = found == null ? e : found;
      }
    }
    return found;
  }

  public List<Endpoint> endpoints() {
    return List.of(endpoints);
  }
}
