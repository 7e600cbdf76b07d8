package dev.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** {@code balance} with a remote credit source configured: the source's balance, read once, not the data dir's. */
@Isolated("sets the system property tollgate.config-file")
class RemoteBalanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "Bearer sk-remote-balance-secret-0123456789";

  @TempDir
  Path tmp;
  private final MockWebServer server = new MockWebServer();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String before;

  @BeforeEach
  void configureHttpWallet() throws IOException {
    server.start();
    Path config = tmp.resolve("tollgate.properties");
    Files.writeString(config, "tollgate.wallet=http\n"
        + "tollgate.http.url=" + server.url("/wallet") + "\n"
        + "tollgate.http.key=" + SECRET + "\n"
        + "tollgate.http.buckets-pointer=/buckets\n"
        + "tollgate.source-retries=0\n"
        + "tollgate.data-dir=" + tmp.resolve("no-data-dir-needed") + "\n");
    before = System.getProperty("tollgate.config-file");
    System.setProperty("tollgate.config-file", config.toString());
  }

  @AfterEach
  void restore() throws IOException {
    if (before == null) {
      System.clearProperty("tollgate.config-file");
    } else {
      System.setProperty("tollgate.config-file", before);
    }
    server.shutdown();
  }

  @Test
  void balance_httpWallet_printsTheSourcesBalanceAndBuckets_withItsKeySentNeverPrinted() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"balance\":12.5,\"buckets\":[{\"source_type\":\"promo\",\"balance\":2.5,"
        + "\"expires_at\":\"2026-12-31T00:00:00Z\"},{\"source_type\":\"paid\",\"balance\":10,\"expires_at\":null}]}"));

    int code = Cli.run(new String[] {"balance", "--json"}, print(out), print(err));

    assertThat(code).as(text(err)).isZero();
    JsonNode n = JSON.readTree(text(out));
    assertThat(n.get("wallet").asText()).isEqualTo("http");
    assertThat(n.get("balance_credits").decimalValue()).isEqualByComparingTo("12.5");
    assertThat(n.get("buckets")).hasSize(2);
    assertThat(n.get("buckets").get(0).get("source_type").asText()).isEqualTo("promo");
    assertThat(n.get("buckets").get(0).get("expires_at").asText()).isEqualTo("2026-12-31T00:00:00Z");
    assertThat(n.get("buckets").get(1).get("balance").decimalValue()).isEqualByComparingTo("10");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/wallet");
    assertThat(request.getHeader("Authorization")).isEqualTo(SECRET);
    assertThat(text(out) + text(err)).doesNotContain("sk-remote-balance-secret");
  }

  @Test
  void balance_httpWallet_table_namesTheWallet() {
    server.enqueue(new MockResponse().setBody("{\"balance\":3}"));

    int code = Cli.run(new String[] {"balance"}, print(out), print(err));

    assertThat(code).as(text(err)).isZero();
    assertThat(text(out)).contains("WALLET").contains("http").contains("3");
    assertThat(text(out)).doesNotContain("meter only");
  }

  @Test
  void balance_sourceDown_exitsOneNamingTheSource_neverTheKey() {
    server.enqueue(new MockResponse().setResponseCode(503).setBody("down"));

    int code = Cli.run(new String[] {"balance"}, print(out), print(err));

    assertThat(code).isEqualTo(1);
    assertThat(text(err)).contains("cannot read the credit source's balance").contains("503");
    assertThat(text(out) + text(err)).doesNotContain("sk-remote-balance-secret");
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
