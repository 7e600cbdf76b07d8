package dev.tollgate.agent.meter;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tollgate.api.BudgetStatus;
import org.jspecify.annotations.Nullable;

/** The JSON body of the synthetic HTTP 402 a blocked call receives, in the shape SDKs parse as an API error. */
final class BlockedResponse {
  static final String HEADER = "Tollgate-Blocked";

  private BlockedResponse() {}

  static String json(String message) {
    return json(message, null);
  }

  /** With {@code error.budget} ({@code scope}, {@code period}, {@code limit}, {@code remaining}, {@code resets_at}) when a budget refused. */
  static String json(String message, @Nullable BudgetStatus budget) {
    String body = "{\"error\":{\"type\":\"insufficient_credits\",\"code\":\"tollgate_blocked\",\"message\":" + quote(message);
    return body + (budget == null ? "" : ",\"budget\":" + budget(budget)) + "}}";
  }

  private static String budget(BudgetStatus b) {
    StringBuilder json = new StringBuilder("{\"scope\":{");
    b.scope()
        .forEach((k, v) -> json.append(json.charAt(json.length() - 1) == '{' ? "" : ",").append(quote(k)).append(':').append(quote(v)));
    json.append("},\"period\":").append(quote(b.period())).append(",\"limit\":").append(b.limit().toPlainString())
        .append(",\"remaining\":").append(b.remaining().toPlainString())
        .append(",\"resets_at\":").append(b.resetsAt() == null ? "null" : quote(b.resetsAt().toString()));
    return json.append('}').toString();
  }

  /** {@code {tenant=acme} per day}, or {@code wallet per day}. */
  static String describe(BudgetStatus b) {
    return (b.scope().isEmpty() ? "wallet" : b.scope().toString()) + " per " + b.period();
  }

  private static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }
}
