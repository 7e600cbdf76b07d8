package dev.tollgate.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.endpoint.EndpointCatalog;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which connections the hooks take for metered, on the JDK's real connections (never connected
 * here). Ruling a connection out must not change which calls are metered, including a metered call
 * whose method a redirect changed and an unmetered call a redirect moves onto a metered host.
 */
@org.junit.jupiter.api.parallel.Isolated("installs the JVM-wide Hooks dispatcher")
class UrlConnectionsTest {
  private static final String CHAT = "https://api.openai.com/v1/chat/completions";

  @BeforeEach
  void installCatalog() {
    EndpointCatalog catalog = EndpointCatalog.builtIn();
    Hooks.install(new Dispatcher() {
      @Override
      public Object classify(String method, String url) {
        return catalog.classify(method, url);
      }

      @Override
      public boolean mayMeterHost(String host) {
        return catalog.mayMeterHost(host);
      }

      @Override
      public CallHandle begin(Object operation, String url, byte[] body, long contentLength) {
        throw new AssertionError("nothing is sent here");
      }

      @Override
      public void failed(String site, Throwable t) {
        throw new AssertionError(site, t);
      }
    });
  }

  @AfterEach
  void uninstall() {
    Hooks.install((Dispatcher) null);
  }

  @Test
  void call_postToOtherHostOrGetToModelEndpoint_isNotMetered() throws IOException {
    assertThat(UrlConnections.call(open("https://example.com/v1/chat/completions", "POST"))).isNull();
    assertThat(UrlConnections.call(open(CHAT, "GET"))).isNull();
    assertThat(UrlConnections.call(open("https://api.openai.com/v1/files", "POST"))).isNull();
  }

  @Test
  void call_postToModelEndpoint_isOneCallForTheConnection() throws IOException {
    HttpURLConnection c = open(CHAT, "POST");

    UrlCall call = UrlConnections.call(c);

    assertThat(call).isNotNull();
    assertThat(UrlConnections.call(c)).isSameAs(call);
    assertThat(UrlConnections.find(c)).isSameAs(call);
  }

  @Test
  void call_getWithDoOutput_isMeteredAsThePostItBecomes() throws IOException {
    HttpURLConnection c = open(CHAT, "GET");
    c.setDoOutput(true);

    assertThat(UrlConnections.call(c)).isNotNull();
  }

  @Test
  void call_meteredConnectionWhoseMethodChanged_keepsItsCall() throws IOException {
    HttpURLConnection c = open(CHAT, "POST");
    UrlCall call = UrlConnections.call(c);

    c.setRequestMethod("GET"); // what a 302 does to a POST the JDK follows

    assertThat(UrlConnections.call(c)).isSameAs(call);
    assertThat(UrlConnections.find(c)).isSameAs(call);
  }

  @Test
  void call_firstSeenInsideItsOwnUnmeteredRead_isNeverMetered() throws IOException {
    // A 307 the JDK follows inside getInputStream moves an unmetered POST onto a model endpoint:
    // the request already left unmetered, so its connect() must not be taken for a new call.
    HttpURLConnection c = open(CHAT, "POST");

    HttpURLConnection outer = UrlConnections.startReading(c);
    UrlCall inside = UrlConnections.call(c);
    UrlConnections.stopReading(outer);

    assertThat(inside).isNull();
    assertThat(UrlConnections.call(c)).isNull();
  }

  @Test
  void call_freshConnectionWhileAnotherIsRead_isMetered() throws IOException {
    HttpURLConnection other = open("https://example.com/upload", "POST");
    HttpURLConnection c = open(CHAT, "POST");

    HttpURLConnection outer = UrlConnections.startReading(other);
    UrlCall call = UrlConnections.call(c);
    UrlConnections.stopReading(outer);

    assertThat(call).isNotNull();
  }

  @Test
  void call_noDispatcher_isNotMetered() throws IOException {
    Hooks.install((Dispatcher) null);

    assertThat(UrlConnections.call(open(CHAT, "POST"))).isNull();
  }

  private static HttpURLConnection open(String url, String method) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod(method);
    return c;
  }
}
