package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.it.apps.JdkHttpApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB Anthropic stream, generated on the fly by a loopback server, read by an app whose heap
 * is capped at 96 MB: the tap's memory does not grow with the stream, and the usage at its very end
 * is still read exactly.
 */
class HugeStreamIT {
  private static final long TARGET_BYTES = 200L << 20;
  private static final String DELTA = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
      + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + "lorem ipsum ".repeat(80) + "\"}}\n\n";
  private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_huge\","
      + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-3-5-haiku-20241022\",\"content\":[],"
      + "\"usage\":{\"input_tokens\":400,\"output_tokens\":1}}}\n\n";
  private static final String END = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
      + "\"usage\":{\"output_tokens\":12345}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

  @TempDir
  Path tmp;
  private HttpServer server;
  private volatile long sent;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/anthropic/v1/messages", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0); // chunked
      byte[] delta = DELTA.getBytes(StandardCharsets.UTF_8);
      long n = 0;
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(START.getBytes(StandardCharsets.UTF_8));
        n += START.length();
        while (n < TARGET_BYTES) {
          out.write(delta);
          n += delta.length;
        }
        out.write(END.getBytes(StandardCharsets.UTF_8));
        n += END.length();
      }
      sent = n;
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void twoHundredMegabyteStream_inA96MegabyteHeap_isMeteredExactly() {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    Path dataDir = tmp.resolve("data");

    Fork.Result r = Fork.app("jdk", JdkHttpApp.class).jvmArg("-Xmx96m").prop("tollgate.data-dir", dataDir)
        .endpoint("fake-anthropic", base + "/anthropic/v1", "anthropic")
        .args("drain", base + "/anthropic/v1/messages", Fixtures.ANTHROPIC_STREAM_REQUEST).run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.lines("BYTES ")).as(r.toString()).containsExactly(String.valueOf(sent));
    assertThat(sent).isGreaterThan(TARGET_BYTES);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).isFalse();
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(400);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(12345); // the last message_delta, 200 MB in
    // claude-3-5-haiku: 400 × 0.80 + 12,345 × 4.00 per 1M = 0.04970
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo("0.0497");
    assertThat(r.agentLog()).isEmpty();
  }
}
