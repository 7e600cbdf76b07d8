package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ReactorNettyApp;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/**
 * Reactor Netty's {@code HttpClient} used directly (it-classpaths/azure: Reactor Netty 1.0, as
 * azure-core-http-netty brings it) under the {@link ClientContractIT} scenarios: {@code
 * responseSingle}, a stream read chunk by chunk, gzip inflated by {@code compress(true)} or by the app.
 * Spring's clients on Reactor Netty are {@link SpringContractIT}'s: they stay metered once, by the Spring hooks.
 * Its own test rides in the contract's JVM: a budget chosen by a header of the captured request, and
 * bodies cut by the server or cancelled by the app.
 */
class ReactorNettyContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("azure");
  }

  @Override
  Class<?> app() {
    return ReactorNettyApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("json");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("stream");
  }

  /** {@code gzip}: Reactor Netty asks and inflates; {@code gzip-raw}: the app asks and gets the compressed bytes, the tap inflates its own copy. */
  @Override
  List<String> gzipModes(String variant) {
    return List.of("gzip", "gzip-raw");
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("stream");
  }

  /** Netty's {@code AnnotatedConnectException}, a {@code ConnectException}. */
  @Override
  void assertRefused(Slice s, String mode) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("Connection refused");
  }

  /**
   * Not a 402: Reactor Netty hands the app its live connection, no response object Tollgate can stand
   * in for, so the call fails with {@code BlockedCallException}, an {@code IOException} whose message
   * carries the 402's JSON (azure-core, above it, turns that back into its 402; see
   * docs/azure-and-reactor-netty.md).
   */
  @Override
  String assertBlockedAnswer(Slice s, String mode) {
    return assertFailedWithTheBlock(s, "dev.tollgate.agent.bootstrap.BlockedCallException Tollgate blocked this call (HTTP 402): ");
  }

  /** A tenant's budget of 0, read from a header the request sender sets ({@code tenant} mode). */
  @Override
  Fork customize(Fork fork, String variant) {
    return fork.prop("tollgate.attribute.tenant", "header:X-Tenant").prop("tollgate.budget.tenant.broke", "0");
  }

  @Override
  List<OwnCall> ownCalls(String variant) {
    return List.of(
        new OwnCall("rn-tenant", "tenant", Fixtures.OPENAI_REQUEST, () -> Fixtures.json(Fixtures.OPENAI_JSON)),
        new OwnCall("rn-cut", "cut", Fixtures.OPENAI_STREAM_REQUEST,
            () -> new MockResponse.Builder(Fixtures.sse(Fixtures.OPENAI_SSE)).onResponseBody(new SocketEffect.CloseSocket()).build()),
        // The app takes the first chunk while the rest trickles (a deadline far beyond the test, not a timing).
        new OwnCall("rn-cancel", "cancel", Fixtures.OPENAI_STREAM_REQUEST,
            () -> new MockResponse.Builder(Fixtures.sse(Fixtures.OPENAI_SSE)).throttleBody(64, 1, TimeUnit.SECONDS).build()));
  }

  @Test
  void headerAttributionBlocksBeforeSending_cutAndCancelledBodiesSettle_andEveryReservationIsReleased() {
    Slice tenant = slice("azure", Config.PLENTY, "rn-tenant");
    assertThat(tenant.lines("ERROR ")).as(tenant.toString()).singleElement().asString()
        .startsWith("dev.tollgate.agent.bootstrap.BlockedCallException").contains("tollgate_blocked");
    assertThat(requests("rn-tenant")).isEmpty();
    assertThat(only("azure", Config.PLENTY, "rn-tenant").get("status").asText()).isEqualTo("blocked");
    for (String id : List.of("rn-cut", "rn-cancel")) {
      Slice s = slice("azure", Config.PLENTY, id);
      assertThat(s.lines("SETTLED ")).as(s.toString()).containsExactly("true");
      assertThat(s.after()).endsWith(" 0");
      assertThat(requests(id)).extracting(ClientContractIT::sent).containsExactly(Fixtures.OPENAI_STREAM_REQUEST); // captured, sent once, intact
      assertThat(only("azure", Config.PLENTY, id).get("status").asText()).isEqualTo("cancelled");
    }
    // After every call of the JVM, each reservation released: what is left is the budget less what the calls cost.
    BigDecimal spent = BigDecimal.ZERO;
    for (JsonNode rec : journal("azure", Config.PLENTY)) {
      spent = spent.add(rec.get("cost").decimalValue());
    }
    String last = slice("azure", Config.PLENTY, "rn-cancel").after();
    assertThat(new BigDecimal(last.split(" ")[0])).isEqualByComparingTo(BigDecimal.ONE.subtract(spent));
    Fork.Result out = run("azure", Config.PLENTY).out;
    assertThat(out.agentLog()).as(out.toString()).noneMatch(line -> line.contains("could not") || line.contains("inside Tollgate"));
  }
}
