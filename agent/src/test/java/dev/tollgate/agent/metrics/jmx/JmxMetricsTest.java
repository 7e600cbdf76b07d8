package dev.tollgate.agent.metrics.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import dev.tollgate.agent.wallet.Wallet;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.parallel.Isolated("registers the one Tollgate MBean in the platform MBean server")
class JmxMetricsTest {
  @Test
  void unmeteredConnections_areAttributesOfTheMBean_readWhenAsked() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(JmxMetrics.OBJECT_NAME);
    Gauges gauges = new Gauges(new Wallet(0, null), false);
    UnmeteredConnections seen = new UnmeteredConnections();
    gauges.unmetered(seen);
    JmxMetrics.register(gauges);
    try {
      seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
      seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);

      assertThat(server.getAttribute(name, "UnmeteredConnections")).isEqualTo(2L);
      assertThat((String[]) server.getAttribute(name, "UnmeteredConnectionsByClient"))
          .containsExactly("api.openai.com:443 com.acme.Raw warned=2");
    } finally {
      server.unregisterMBean(name);
    }
  }
}
