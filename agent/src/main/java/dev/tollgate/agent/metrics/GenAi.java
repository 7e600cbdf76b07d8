package dev.tollgate.agent.metrics;

import dev.tollgate.api.UsageRecord;
import org.jspecify.annotations.Nullable;

/**
 * Tollgate's names in the vocabulary of the OpenTelemetry GenAI semantic conventions, v1.41.1:
 * provider and operation names, {@code error.type}, and the server of an endpoint.
 */
public final class GenAi {
  /** The semantic conventions these metrics follow. */
  public static final String SEMCONV_VERSION = "1.41.1";
  public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/" + SEMCONV_VERSION;

  private GenAi() {}

  /** {@code gen_ai.provider.name} for a Tollgate provider; a provider the conventions do not name keeps Tollgate's name. */
  public static String provider(String tollgateProvider) {
    switch (tollgateProvider) {
      case "gemini":
        return "gcp.gemini";
      case "vertex":
        return "gcp.vertex_ai";
      case "bedrock":
        return "aws.bedrock";
      case "azure":
        return "azure.ai.openai";
      case "mistral":
        return "mistral_ai";
      case "xai":
        return "x_ai";
      case "watsonx":
        return "ibm.watsonx.ai";
      case "perplexity":
        return "perplexity";
      default:
        return tollgateProvider; // openai, anthropic, groq, deepseek, cohere, and providers the conventions do not list
    }
  }

  /** {@code gen_ai.operation.name} for a Tollgate operation. */
  public static String operation(String tollgateOperation) {
    switch (tollgateOperation) {
      case "chat":
      case "responses":
      case "messages":
        return "chat";
      case "completions":
        return "text_completion";
      case "embeddings":
      case "embed":
        return "embeddings";
      case "generate_content":
      case "stream_generate_content":
        return "generate_content";
      default:
        return tollgateOperation;
    }
  }

  /**
   * {@code error.type} of a call that did not end well: the HTTP status the provider answered, or
   * {@code cancelled} for a body the application or the network cut short; null for a call that succeeded.
   */
  public static @Nullable String errorType(UsageRecord r) {
    return errorType(r.status(), r.httpStatus());
  }

  /** As {@link #errorType(UsageRecord)}, from the status and the HTTP status the provider answered (0 for none). */
  public static @Nullable String errorType(UsageRecord.Status status, int httpStatus) {
    switch (status) {
      case ERROR:
        return statusText(httpStatus);
      case CANCELLED:
        return "cancelled";
      default:
        return null;
    }
  }

  private static String statusText(int status) {
    return status >= 100 && status < 600 ? Integer.toString(status) : "_OTHER";
  }

  /** {@code server.address} of a recorded endpoint ({@code scheme://host:port/path}). */
  public static String serverAddress(String endpoint) {
    int start = hostStart(endpoint);
    int end = authorityEnd(endpoint, start);
    String authority = endpoint.substring(start, end);
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close < 0 ? authority : authority.substring(1, close);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /** {@code server.port} of a recorded endpoint: the explicit port, or the scheme's. */
  public static int serverPort(String endpoint) {
    int start = hostStart(endpoint);
    String authority = endpoint.substring(start, authorityEnd(endpoint, start));
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      try {
        return Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return endpoint.startsWith("http://") ? 80 : 443;
  }

  private static int hostStart(String endpoint) {
    int scheme = endpoint.indexOf("://");
    return scheme < 0 ? 0 : scheme + 3;
  }

  private static int authorityEnd(String endpoint, int start) {
    int slash = endpoint.indexOf('/', start);
    return slash < 0 ? endpoint.length() : slash;
  }
}
