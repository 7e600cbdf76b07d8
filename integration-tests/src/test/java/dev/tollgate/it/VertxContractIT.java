package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.VertxApp;
import java.io.IOException;
import java.util.List;
import mockwebserver3.MockWebServer;
import okhttp3.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vert.x core {@code HttpClient} and WebClient (5.0 and 4.5) under the {@link ClientContractIT}
 * scenarios: {@code send(Buffer)}, WebClient's {@code sendBuffer}, a body read chunk by chunk, one
 * written in pieces, gzip inflated by the app or by the client. Its own test, HTTP/2, rides in the
 * contract's 4.5 JVM, against a second server that speaks HTTP/2 with prior knowledge.
 */
class VertxContractIT extends ClientContractIT {
  /** The same answers as the contract's server, over HTTP/2 in clear text with prior knowledge: the endpoints named {@code h2-…}. */
  private final MockWebServer h2 = new MockWebServer();

  @Override
  List<String> variants() {
    return List.of("vertx5", "vertx4");
  }

  @Override
  Class<?> app() {
    return VertxApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("send", "web");
  }

  /** {@code chunked}: the request body written in two pieces, the response read as a stream. */
  @Override
  List<String> streamModes(String variant) {
    return List.of("stream", "chunked");
  }

  /** Vert.x asks for no gzip by default: {@code gzip}, the app asks and inflates; {@code decompress}, the client does both. */
  @Override
  List<String> gzipModes(String variant) {
    return List.of("gzip", "decompress");
  }

  /** The core client and WebClient fail a block the same way on either version: checked on 5.0. */
  @Override
  List<String> exceptionModes(String variant) {
    return variant.equals("vertx5") ? jsonModes(variant) : List.of();
  }

  /** The byte-for-byte comparison with a run without the agent: on 5.0. */
  @Override
  List<String> plainModes(String variant) {
    return variant.equals("vertx5") ? jsonModes(variant) : List.of();
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("stream") || mode.equals("chunked");
  }

  /** A body written in pieces is decided on its first write, before the rest (and the model) exists. */
  @Override
  boolean decidesFromTheBody(String mode) {
    return !mode.equals("chunked");
  }

  /** Vert.x takes its connection when the app asks for the request object, before any body: a refused connection is no call. */
  @Override
  boolean connectsBeforeTheCall(String mode) {
    return true;
  }

  /** Netty's {@code AnnotatedConnectException}, a {@code ConnectException}. */
  @Override
  void assertRefused(Slice s, String mode) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("Connection refused");
  }

  /**
   * Not a 402: Vert.x fails a call before its response as it fails every such call, the app's future
   * with an {@code IOException} whose message carries the 402's JSON (a synthetic {@code
   * HttpClientResponse} would need Vert.x internals that differ between 4.x and 5.x; see
   * docs/vertx-and-jetty.md).
   */
  @Override
  String assertBlockedAnswer(Slice s, String mode) {
    return assertFailedWithTheBlock(s, "java.io.IOException Tollgate blocked this call: ");
  }

  @BeforeAll
  void startHttp2Server() throws IOException {
    h2.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    h2.setDispatcher(server.getDispatcher());
    h2.start();
  }

  @AfterAll
  void stopHttp2Server() {
    h2.close();
  }

  @Override
  String url(String endpoint, String path) {
    return endpoint.startsWith("h2-") ? h2.url("/" + endpoint + path).toString() : super.url(endpoint, path);
  }

  /** gpt-4o has a budget of 0: {@code h2-blocked}'s call is blocked, every other one (gpt-4o-mini, Claude) goes on. */
  @Override
  Fork customize(Fork fork, String variant) {
    return fork.prop("tollgate.budget.model.gpt-4o", "0/day");
  }

  @Override
  List<OwnCall> ownCalls(String variant) {
    if (!variant.equals("vertx4")) {
      return List.of();
    }
    return List.of(
        new OwnCall("h2-ok", "h2", Fixtures.OPENAI_REQUEST, () -> Fixtures.json(Fixtures.OPENAI_JSON)),
        new OwnCall("h2-blocked", "h2", Fixtures.OPENAI_REQUEST.replace("gpt-4o-mini", "gpt-4o"), () -> Fixtures.json(
            Fixtures.OPENAI_JSON)));
  }

  @Test
  void http2_isMeteredThroughTheSamePath_andABlockedStreamFailsWithTheBlock() {
    Slice ok = slice("vertx4", Config.PLENTY, "h2-ok");
    assertThat(ok.lines("STATUS ")).as(ok.toString()).containsExactly("200");
    assertThat(ok.lines("BODY ")).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(requests("h2-ok")).extracting(ClientContractIT::sent).containsExactly(Fixtures.OPENAI_REQUEST);
    assertThat(only("vertx4", Config.PLENTY, "h2-ok").get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    // A stream reset before HTTP/2 allocated it reports a reset of its own: the block's exception comes first.
    assertFailedWithTheBlock(slice("vertx4", Config.PLENTY, "h2-blocked"), "java.io.IOException Tollgate blocked this call: ");
    assertThat(requests("h2-blocked")).isEmpty();
    assertThat(only("vertx4", Config.PLENTY, "h2-blocked").get("status").asText()).isEqualTo("blocked");
  }
}
