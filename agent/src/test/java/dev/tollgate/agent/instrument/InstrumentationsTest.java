package dev.tollgate.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstrumentationsTest {

  @Test
  void clientNames_areTheClientsOfAll_andTheSocketCheckIsNone() {
    assertThat(Instrumentations.clientNames()).startsWith("okhttp", "jdk-http-client", "apache-httpclient5", "http-url-connection",
        "spring-webclient", "spring-rest-client").doesNotContain(Instrumentations.UNMETERED_TRAFFIC).doesNotHaveDuplicates();
  }

  @Test
  void everyTypeName_isRewrittenByOneInstrumentationOnly() {
    List<String> types = new ArrayList<>();
    for (InstrumentationModule m : Instrumentations.ALL) {
      assertThat(m.types()).as(m.name).isNotEmpty();
      types.addAll(m.types());
    }
    assertThat(types).doesNotHaveDuplicates().allMatch(t -> !t.contains("/"));
  }

  @Test
  void connectingPackages_areTheEnabledClients_theAgentsOwnFirst() {
    assertThat(Instrumentations.connectingPackages(Set.of())).startsWith("dev.tollgate.agent.")
        .contains("okhttp3.", "jdk.internal.net.http.", "sun.net.www.protocol.https.", "org.apache.hc.core5.reactor.", "reactor.netty.")
        .doesNotHaveDuplicates();
    assertThat(Instrumentations.connectingPackages(new HashSet<>(Instrumentations.clientNames()))).containsExactly("dev.tollgate.agent.");
  }

  @Test
  void connectingPackages_ofASharedPrefix_stayWhileOneOfItsClientsIsOn() {
    assertThat(Instrumentations.connectingPackages(Set.of("spring-webclient"))).contains("reactor.netty.");
    assertThat(Instrumentations.connectingPackages(Set.of("spring-webclient", "spring-rest-client"))).contains("reactor.netty."); // Reactor Netty's own
    assertThat(Instrumentations.connectingPackages(Set.of("spring-webclient", "spring-rest-client", "reactor-netty")))
        .doesNotContain("reactor.netty.");
  }
}
