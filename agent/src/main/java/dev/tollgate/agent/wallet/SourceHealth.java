package dev.tollgate.agent.wallet;

import dev.tollgate.agent.alert.Alerts;
import dev.tollgate.agent.config.TollgateConfig.OnSourceFailure;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.pricing.Money;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The credit source's state (starting, up, failing, stale), logged once per change of state and
 * never per call or per failed read. Messages carry the source's own error text, which names the
 * source and the status but never a credential.
 */
final class SourceHealth {
  enum State { STARTING, UP, FAILING, STALE }

  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final String source;
  private final Duration maxStaleness;
  private final OnSourceFailure policy;
  private final Consumer<String> warn;
  private final Consumer<String> info;

  SourceHealth(String source, Duration maxStaleness, OnSourceFailure policy) {
    this(source, maxStaleness, policy, Log::warn, Log::info);
  }

  SourceHealth(String source, Duration maxStaleness, OnSourceFailure policy, Consumer<String> warn, Consumer<String> info) {
    this.source = source;
    this.maxStaleness = maxStaleness;
    this.policy = policy;
    this.warn = warn;
    this.info = info;
  }

  @Nullable
  State state() {
    return state.get();
  }

  /**
   * The source answered with {@code s}. A snapshot not read from anywhere ({@link
   * BalanceSnapshot#fetchedAt} null: a Redis lease given back at exit, which lends nothing) says
   * nothing of the source and changes no state: it must not announce a source that never answered as
   * readable again.
   */
  void succeeded(BalanceSnapshot s) {
    if (s.fetchedAt == null) {
      return;
    }
    State was = state.getAndSet(State.UP);
    if (was == State.FAILING || was == State.STALE) {
      Alerts.sourceUp(source, Money.fromNanos(s.balanceNanos));
      info.accept("credit source " + source + " is readable again: balance " + Money.format(s.balanceNanos) + " credits");
    }
  }

  void failed(IOException e, boolean hasValue) {
    if (hasValue && state.compareAndSet(State.UP, State.FAILING)) {
      Alerts.sourceDown(source, String.valueOf(e.getMessage()));
      warn.accept("credit source " + source + " cannot be read (" + e.getMessage() + "); enforcing its last balance until it is "
          + "older than " + human(maxStaleness) + ", then tollgate.on-source-failure=" + policyName() + " applies");
    }
  }

  /** Called on the read path when no fresh-enough value exists; a volatile read unless the state changes. */
  void stale(@Nullable IOException cause) {
    State was = state.get();
    if (was != State.STALE && state.compareAndSet(was, State.STALE)) {
      if (was != State.FAILING) { // a failing source was alerted when it failed
        Alerts.sourceDown(source, cause == null ? "no balance younger than " + human(maxStaleness) : String.valueOf(cause.getMessage()));
      }
      warn.accept("credit source " + source + (cause == null ? "" : " cannot be read (" + cause.getMessage() + ")")
          + ": no balance younger than " + human(maxStaleness) + "; tollgate.on-source-failure=" + policyName() + ": " + effect());
    }
  }

  private String effect() {
    switch (policy) {
      case OPEN:
        return "metered calls go through unlimited until it answers";
      case CLOSED:
        return "metered calls are blocked until it answers";
      default:
        return "enforcing the last balance read (blocking while none was ever read)";
    }
  }

  private String policyName() {
    return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String human(Duration d) {
    return d.equals(Duration.ofNanos(Long.MAX_VALUE)) ? "forever" : d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
