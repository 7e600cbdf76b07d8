package dev.tollgate.api;

import dev.tollgate.api.internal.TollgateBackend;
import dev.tollgate.api.internal.TollgateBinding;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The application's view of Tollgate.
 *
 * <p>With the agent attached ({@code -javaagent:tollgate-agent.jar}) and metering, every method
 * reads or changes the agent's live state. Without it, {@link #isActive()} is {@code false}, the
 * balance is empty and listeners are never called: code that uses this class runs unchanged in
 * environments without the agent.
 */
public final class Tollgate {

  private static final CreditBalance NO_AGENT = new CreditBalance(BigDecimal.ZERO, false, List.of());

  private Tollgate() {}

  /** {@code true} when the agent is attached and metering calls in this JVM. */
  public static boolean isActive() {
    return TollgateBinding.backend() != null;
  }

  /**
   * The balance enforcement uses now: the cached wallet balance minus spend recorded since it was
   * read and minus open reservations. Without the agent, a zero balance with no buckets.
   */
  public static CreditBalance balance() {
    TollgateBackend b = TollgateBinding.backend();
    return b == null ? NO_AGENT : b.balance();
  }

  /**
   * Metered calls in flight in this JVM: reserved and not yet settled. A call settles when its
   * response has been read to the end, fails, is closed early, or is dropped unread and collected
   * by the garbage collector; a JVM with no call under way reports 0, so a count that stays above
   * zero once calls are done is a leak. Without the agent, 0.
   */
  public static long openReservations() {
    TollgateBackend b = TollgateBinding.backend();
    return b == null ? 0 : b.openReservations();
  }

  /**
   * Every configured budget ({@code tollgate.budget}, {@code tollgate.budget.<dimension>.<value>},
   * the budgets file) as it stands in its current period: scope, period, limit, spent, reserved,
   * remaining and when it resets. A {@code *} budget is listed once per value that has spent in
   * this period. Without the agent, an empty list.
   */
  public static List<BudgetStatus> budgets() {
    TollgateBackend b = TollgateBinding.backend();
    return b == null ? List.of() : b.budgets();
  }

  /**
   * The wallet in the Synap {@code credits.get_balance} shape: the same as {@link #balance()}, whose
   * buckets (source type, balance, expiry, in the order they are spent) are as of the last refresh.
   */
  public static CreditBalance credits() {
    return balance();
  }

  /**
   * A page of the local wallet's ledger, in the Synap {@code credits.get_ledger} shape: its grants
   * ({@code credit}), the cost of each metered call ({@code debit}) and credits that expired unspent
   * ({@code expire}), oldest first. Reads the data dir. Without the agent, an empty page.
   *
   * @throws NullPointerException if {@code query} is null
   */
  public static CreditLedgerPage ledger(LedgerQuery query) {
    Objects.requireNonNull(query, "query");
    TollgateBackend b = TollgateBinding.backend();
    return b == null ? new CreditLedgerPage(List.of(), 0, query.limit(), query.offset()) : b.ledger(query);
  }

  /**
   * Reconciles local usage with the remote credit source now, as the agent does every {@code
   * tollgate.reconcile-interval}: the window since the last reconciliation, with the remote
   * figure, the local one and their difference ({@link ReconciliationDrift#drift()}, zero when they
   * agree). The available balance is corrected to the remote's and the window is journaled; drift
   * beyond {@code tollgate.drift-threshold} also reaches listeners. Returns null when there was
   * nothing to reconcile: no agent, a local wallet, the first read (a baseline), an unreadable
   * source, or a window in which neither side spent anything.
   */
  public static @Nullable ReconciliationDrift reconcile() {
    TollgateBackend b = TollgateBinding.backend();
    return b == null ? null : b.reconcile();
  }

  /**
   * Registers a listener for usage, blocked-call and low-balance events. Without the agent it is
   * kept nowhere and never called.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public static void addListener(TollgateListener listener) {
    Objects.requireNonNull(listener, "listener");
    TollgateBackend b = TollgateBinding.backend();
    if (b != null) {
      b.addListener(listener);
    }
  }

  /** Removes a listener added with {@link #addListener}; a no-op if it was not added. */
  public static void removeListener(TollgateListener listener) {
    Objects.requireNonNull(listener, "listener");
    TollgateBackend b = TollgateBinding.backend();
    if (b != null) {
      b.removeListener(listener);
    }
  }

  /**
   * A dry-run quote for sending {@code input} to {@code model}: the input tokens (counted with the
   * model's tokenizer for OpenAI models, at four characters a token otherwise), the output bound and
   * the worst-case cost in credits, exactly as the agent would reserve it. Nothing is sent and
   * nothing is reserved. Without the agent there is no price catalog: the estimate is unpriced,
   * costs zero and counts input at four characters a token.
   *
   * @param model the model as the request would name it, for example {@code gpt-4o-mini}
   * @param input the text the model would read
   * @param maxOutputTokens the request's output bound; 0 or less for the model's maximum output
   * @throws NullPointerException if {@code model} or {@code input} is null
   */
  public static CreditEstimate estimate(String model, String input, long maxOutputTokens) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(input, "input");
    TollgateBackend b = TollgateBinding.backend();
    return b != null ? b.estimate(model, input, maxOutputTokens) : unavailable(model, input.length(), maxOutputTokens);
  }

  /**
   * A dry-run quote for a request body as it would be sent (OpenAI, Anthropic or Gemini JSON): its
   * model, its {@code max_tokens} / {@code max_completion_tokens} / {@code max_output_tokens} /
   * {@code generationConfig.maxOutputTokens}, and its messages, counted as the agent counts a real
   * call. Nothing is sent and nothing is reserved; without the agent, as {@link #estimate}.
   *
   * @param model the model, or null to take it from the body (Gemini names it in the URL instead)
   * @param requestJson the request body
   * @throws NullPointerException if {@code requestJson} is null
   */
  public static CreditEstimate estimateRequest(@Nullable String model, String requestJson) {
    Objects.requireNonNull(requestJson, "requestJson");
    TollgateBackend b = TollgateBinding.backend();
    return b != null ? b.estimateRequest(model, requestJson) : unavailable(model == null ? "unknown" : model, requestJson.length(), 0);
  }

  /**
   * Opens an attribution scope on this thread: every metered call started here until it is closed
   * (asynchronous ones included) carries {@code name = value} in its record, and budgets on that
   * attribute apply to it. See {@link TollgateScope}. Without the agent, a no-op scope.
   *
   * @param name an attribute name, {@code [a-z0-9_-]{1,32}} (for example {@code tenant})
   * @param value its value; clipped to 128 characters, control characters removed
   * @throws IllegalArgumentException if {@code name} is not a valid attribute name
   * @throws NullPointerException if {@code name} or {@code value} is null
   */
  public static TollgateScope scope(String name, String value) {
    checkAttribute(name, value);
    return TollgateBinding.backend() == null ? TollgateScope.NO_AGENT : TollgateScope.open(name, value);
  }

  static void checkAttribute(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    boolean valid = !name.isEmpty() && name.length() <= 32;
    for (int i = 0; valid && i < name.length(); i++) {
      char c = name.charAt(i);
      valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
    if (!valid) {
      throw new IllegalArgumentException("attribute name must match [a-z0-9_-]{1,32} but was \"" + name + "\"");
    }
  }

  private static CreditEstimate unavailable(String model, long chars, long maxOutputTokens) {
    return CreditEstimate.builder().model(model).pricedAs("none (no agent)").priced(false)
        .inputTokens((chars + 3) / 4).maxOutputTokens(Math.max(0, maxOutputTokens)).build();
  }
}
