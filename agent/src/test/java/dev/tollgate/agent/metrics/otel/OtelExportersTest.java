package dev.tollgate.agent.metrics.otel;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.wallet.Wallet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelExportersTest {
  @Test
  void start_prometheusPortInUse_namesThePortAndTheCause() throws IOException {
    // Regression: "java.io.UncheckedIOException: Could not create Prometheus HTTP server", no port, no cause.
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      TollgateConfig config = TollgateConfig.load(ConfigSource.of(Map.of("tollgate.metrics.prometheus.port", Integer.toString(port)),
          Map.of(), Map.of()));

      assertThatThrownBy(() -> OtelExporters.start(config.metrics, new Gauges(new Wallet(0, null), false), "test"))
          .isInstanceOf(OtelExporters.StartFailure.class)
          .hasMessage("the Prometheus endpoint cannot listen on 127.0.0.1:" + port + " (tollgate.metrics.prometheus.port): "
              + "address already in use");
    }
  }
}
