package dev.tollgate.agent.meter;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** The JSON body of the synthetic HTTP 402 a blocked call receives, in the shape SDKs parse as an API error. */
final class BlockedResponse {
  static final String HEADER = "Tollgate-Blocked";

  private BlockedResponse() {}

  static String json(String message) {
    String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(message));
    return "{\"error\":{\"type\":\"insufficient_credits\",\"code\":\"tollgate_blocked\",\"message\":\"" + escaped + "\"}}";
  }
}
