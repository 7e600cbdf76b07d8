package dev.tollgate.agent.metrics.jmx;

/**
 * Tollgate's numbers as JMX attributes of {@code dev.tollgate:type=Metrics}, for JConsole, VisualVM or
 * a JMX exporter. Totals are since the JVM started; credits are decimal strings (exact) and doubles.
 */
public interface TollgateMetricsMBean {
  long getCallsOk();

  long getCallsError();

  long getCallsBlocked();

  long getCallsCancelled();

  /** Credits spent by this JVM's metered calls, as an exact decimal. */
  String getCost();

  double getCostCredits();

  long getInputTokens();

  long getOutputTokens();

  /** Credits the application can still spend; NaN for a wallet without a limit. */
  double getBalance();

  long getReservationsOpen();

  /** {@code name=credits} per budget. */
  String[] getBudgetRemaining();

  /** Connections to metered endpoints that no hooked client opened ({@code tollgate.unmetered-traffic}), warned or refused. */
  long getUnmeteredConnections();

  /** {@code host:port class action=count} per endpoint and opening class ({@code _OTHER} past 100 of them). */
  String[] getUnmeteredConnectionsByClient();
}
