package dev.tollgate.agent.metrics.jmx;

import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.MetricsSink;
import dev.tollgate.agent.metrics.Tally;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.jspecify.annotations.Nullable;

/** {@code tollgate.metrics.jmx=true}: totals as the attributes of one MBean on the platform MBean server. */
public final class JmxMetrics implements MetricsSink, TollgateMetricsMBean {
  public static final String OBJECT_NAME = "dev.tollgate:type=Metrics";
  private final Tally tally = new Tally();
  private final LongAdder input = new LongAdder();
  private final LongAdder output = new LongAdder();
  private final Gauges gauges;

  private JmxMetrics(Gauges gauges) {
    this.gauges = gauges;
  }

  /** Registers the MBean; a second agent in the same JVM keeps the first one's. */
  public static MetricsSink register(Gauges gauges) throws JMException {
    JmxMetrics m = new JmxMetrics(gauges);
    // Wrapped: a Standard MBean's interface must otherwise be named after its class.
    ManagementFactory.getPlatformMBeanServer().registerMBean(new StandardMBean(m, TollgateMetricsMBean.class), new ObjectName(OBJECT_NAME));
    return m;
  }

  @Override
  public void onCall(UsageRecord r, @Nullable String requestedModel, long costNanos, long firstChunkNanos) {
    tally.add(r.status(), costNanos);
    input.add(r.inputTokens());
    output.add(r.outputTokens());
  }

  @Override
  public long getCallsOk() {
    return tally.calls(UsageRecord.Status.OK);
  }

  @Override
  public long getCallsError() {
    return tally.calls(UsageRecord.Status.ERROR);
  }

  @Override
  public long getCallsBlocked() {
    return tally.calls(UsageRecord.Status.BLOCKED);
  }

  @Override
  public long getCallsCancelled() {
    return tally.calls(UsageRecord.Status.CANCELLED);
  }

  @Override
  public String getCost() {
    return Money.format(tally.costNanos());
  }

  @Override
  public double getCostCredits() {
    return Tally.credits(tally.costNanos());
  }

  @Override
  public long getInputTokens() {
    return input.sum();
  }

  @Override
  public long getOutputTokens() {
    return output.sum();
  }

  @Override
  public double getBalance() {
    return gauges.hasBalance() ? Tally.credits(gauges.balanceNanos()) : Double.NaN;
  }

  @Override
  public long getReservationsOpen() {
    return gauges.openReservations();
  }

  @Override
  public String[] getBudgetRemaining() {
    List<String> out = new ArrayList<>();
    gauges.forEachBudget((name, nanos) -> out.add(name + "=" + Money.format(nanos)));
    return out.toArray(new String[0]);
  }

  @Override
  public long getUnmeteredConnections() {
    return gauges.unmetered().total();
  }

  @Override
  public String[] getUnmeteredConnectionsByClient() {
    List<String> out = new ArrayList<>();
    gauges.unmetered().forEach(e -> out.add(e.host + ":" + e.port + " " + e.client + " " + e.action + "=" + e.count()));
    return out.toArray(new String[0]);
  }
}
