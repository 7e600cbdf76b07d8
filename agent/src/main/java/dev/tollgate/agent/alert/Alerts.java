package dev.tollgate.agent.alert;

import dev.tollgate.agent.config.AlertSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.ReconciliationDrift;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The alerts of {@code tollgate.alert.webhook}: one event per budget threshold crossing, per first
 * block of a budget in a period, per drift beyond the threshold, and per credit-source failure and
 * recovery. Each method builds the event and queues it; the webhook is posted from a background
 * thread, never on a call's path. Without a webhook every method returns at once.
 *
 * <p>Static, so the parts that detect events (the source health deep inside a balance cache, the
 * budgets) need no wiring: they call these methods, and {@link #install} decides where events go.
 */
public final class Alerts {
  /** Budgets whose first block in a period was alerted; bounded, since every period brings new keys. */
  private static final int MAX_BLOCK_KEYS = 10_000;
  private static final Set<String> blockAlerted = ConcurrentHashMap.newKeySet();
  private static volatile AlertSink sink = AlertSink.NONE;
  private static final Clock CLOCK = Clock.systemUTC();

  private Alerts() {}

  /** Posts every later event to {@code settings}' webhook, from a daemon thread of its own. */
  public static void install(AlertSettings settings) {
    WebhookSender sender = new WebhookSender(settings);
    sender.start();
    install(sender);
  }

  static void install(AlertSink s) {
    sink = s;
    blockAlerted.clear();
  }

  /** Whether events are sent anywhere. */
  public static boolean active() {
    return sink != AlertSink.NONE;
  }

  /**
   * A budget crossed one of its {@code tollgate.budget-alerts} thresholds (once per budget and
   * period; the caller keeps that count).
   *
   * @param scope the budget's scope ({@code {}} for the wallet), e.g. {@code {tenant=acme}}
   * @param period {@code hour}, {@code day}, {@code week}, {@code month} or {@code lifetime}
   * @param threshold as configured, e.g. {@code 80%}
   * @param resetsAt when the period ends, or null for a lifetime budget
   */
  public static void budgetThreshold(Map<String, String> scope, String period, String threshold, BigDecimal limit, BigDecimal spent,
      BigDecimal remaining, @Nullable Instant resetsAt) {
    if (!active()) {
      return;
    }
    String text = "budget " + name(scope, period) + " reached " + threshold + ": " + Money.plain(spent) + " of " + Money.plain(limit)
        + " credits spent, " + Money.left(remaining, "left") + (resetsAt == null ? "" : "; resets at " + resetsAt);
    send(AlertEvent.of("budget_threshold", CLOCK.instant(), text).put("budget", budget(scope, period, limit, spent, remaining, resetsAt))
        .put("threshold", threshold));
  }

  /**
   * A call was blocked by a budget: posted for the first block of that budget in {@code periodStart}'s
   * period only, so a storm of blocked calls is one alert.
   *
   * @param periodStart the start of the budget's current period, or null for a lifetime budget
   */
  public static void budgetBlocked(Map<String, String> scope, String period, @Nullable Instant periodStart, BlockedCall call,
      @Nullable BigDecimal limit, @Nullable Instant resetsAt) {
    // A period is known by its start or, where only that is known, by its end.
    if (!active() || !firstBlock(scope + "|" + period + "|" + (periodStart != null ? periodStart : resetsAt))) {
      return;
    }
    String text = "first blocked call for budget " + name(scope, period) + (periodStart == null ? "" : " in the period from " + periodStart)
        + ": " + call.provider() + " " + call.model() + " needed up to " + Money.plain(call.required()) + " credits, "
        + Money.left(call.available(), "available") + (resetsAt == null ? "" : "; resets at " + resetsAt);
    send(AlertEvent.of("budget_blocked", CLOCK.instant(), text)
        .put("budget", budget(scope, period, limit, null, call.available(), resetsAt))
        .put("call", AlertEvent.blocked(call)));
  }

  /** The wallet blocked a call: {@link #budgetBlocked} for the wallet's lifetime budget. */
  public static void walletBlocked(BlockedCall call) {
    budgetBlocked(Map.of(), "lifetime", null, call, null, null);
  }

  /** Forgets the wallet's first block, so the next one is alerted again (its balance rose above the low-balance threshold). */
  public static void walletRecovered() {
    blockAlerted.remove(Map.of() + "|lifetime|null");
  }

  /** The wallet's balance fell below {@code tollgate.low-balance} (once per crossing). */
  public static void lowBalance(BigDecimal balance, String threshold) {
    if (active()) {
      send(AlertEvent.of("low_balance", CLOCK.instant(), "credit balance is low: " + Money.plain(balance) + " credits left (threshold "
          + threshold + ")").put("balance", balance).put("threshold", threshold));
    }
  }

  /** A reconciliation window whose drift went beyond {@code tollgate.drift-threshold}. */
  public static void drift(ReconciliationDrift d) {
    if (!active()) {
      return;
    }
    String text = d.source() + " billed " + Money.plain(d.remote()) + " credits from " + d.windowStart() + " to " + d.windowEnd()
        + " where Tollgate metered " + Money.plain(d.local()) + " (drift " + Money.plain(d.drift()) + ")";
    send(AlertEvent.of("drift", CLOCK.instant(), text).put("source", d.source()).put("window_start", d.windowStart())
        .put("window_end", d.windowEnd()).put("remote", d.remote()).put("local", d.local()).put("drift", d.drift()));
  }

  /** The credit source cannot be read; {@code reason} is the source's own error text, which never holds a credential. */
  public static void sourceDown(String source, String reason) {
    if (active()) {
      send(AlertEvent.of("source_down", CLOCK.instant(), "credit source " + source + " cannot be read: " + reason)
          .put("source", source).put("reason", reason));
    }
  }

  /** The credit source answers again. */
  public static void sourceUp(String source, BigDecimal balance) {
    if (active()) {
      send(AlertEvent
          .of("source_up", CLOCK.instant(), "credit source " + source + " is readable again: balance " + Money.plain(balance) + " credits")
          .put("source", source).put("balance", balance));
    }
  }

  private static void send(AlertEvent e) {
    sink.send(e);
  }

  private static boolean firstBlock(String key) {
    if (blockAlerted.size() >= MAX_BLOCK_KEYS) {
      blockAlerted.clear(); // old periods' keys; at worst one budget alerts its block twice
    }
    return blockAlerted.add(key);
  }

  private static String name(Map<String, String> scope, String period) {
    return (scope.isEmpty() ? "wallet" : scope.toString()) + " (" + period + ")";
  }

  private static ObjectNode budget(Map<String, String> scope, String period, @Nullable BigDecimal limit,
      @Nullable BigDecimal spent, @Nullable BigDecimal remaining, @Nullable Instant resetsAt) {
    return AlertEvent.budget(scope, period, limit, spent, remaining, resetsAt);
  }
}
