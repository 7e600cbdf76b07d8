package dev.tollgate.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {

  /** Answers with the queued statuses (then 200) and keeps every body. */
  static final class FakePoster implements WebhookSender.Poster {
    final Deque<Object> answers = new ArrayDeque<>();
    final List<String> bodies = new ArrayList<>();

    @Override
    public int post(byte[] body) throws IOException {
      bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
      Object next = answers.isEmpty() ? 200 : answers.pollFirst();
      if (next instanceof IOException) {
        throw (IOException) next;
      }
      return (Integer) next;
    }
  }

  private static AlertEvent event(String text) {
    return AlertEvent.of("low_balance", Instant.parse("2026-12-07T10:00:00Z"), text).put("balance", new BigDecimal("0.0000001"));
  }

  @Test
  void deliver_after500AndNetworkFailure_retriesUntilAccepted() {
    FakePoster poster = new FakePoster();
    poster.answers.add(500);
    poster.answers.add(new IOException("connect refused to http://h/secret"));
    WebhookSender sender = new WebhookSender(poster, "http://h/…", 3, Duration.ofMillis(1));

    assertThat(sender.deliver(event("low"))).isTrue();
    assertThat(poster.bodies).hasSize(3).containsOnly(poster.bodies.get(0));
  }

  @Test
  void deliver_clientError_isNotRetried() {
    FakePoster poster = new FakePoster();
    poster.answers.add(404);

    assertThat(new WebhookSender(poster, "http://h/…", 3, Duration.ofMillis(1)).deliver(event("low"))).isFalse();
    assertThat(poster.bodies).hasSize(1);
  }

  @Test
  void deliver_alwaysFailing_stopsAfterTheRetries() {
    FakePoster poster = new FakePoster();
    for (int i = 0; i < 10; i++) {
      poster.answers.add(503);
    }

    assertThat(new WebhookSender(poster, "http://h/…", 2, Duration.ofMillis(1)).deliver(event("low"))).isFalse();
    assertThat(poster.bodies).hasSize(3);
  }

  @Test
  void body_isSlackTextPlusTheStructuredEvent() throws Exception {
    JsonNode body = AlertEvent.JSON.readTree(event("credit balance is low").body());

    assertThat(body.get("text").asText()).isEqualTo("Tollgate: credit balance is low");
    assertThat(body.at("/event/type").asText()).isEqualTo("low_balance");
    assertThat(body.at("/event/time").asText()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(body.at("/event/balance").decimalValue()).isEqualByComparingTo("0.0000001");
    assertThat(new String(event("x").body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"balance\":0.0000001");
  }

  @Test
  void send_queueFull_dropsTheOldestAndCountsIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch first = new CountDownLatch(1);
    List<String> posted = new ArrayList<>();
    WebhookSender sender = new WebhookSender(body -> {
      first.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      synchronized (posted) {
        posted.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
      }
      return 200;
    }, "http://h/…", 0, Duration.ofMillis(1));
    sender.start();
    sender.send(event("in flight"));
    first.await();
    for (int i = 0; i < WebhookSender.CAPACITY + 5; i++) {
      sender.send(event("queued " + i));
    }

    assertThat(sender.dropped()).isEqualTo(5);
    release.countDown();
    assertThat(sender.awaitEmpty(Duration.ofSeconds(30))).isTrue();
    synchronized (posted) {
      assertThat(posted).hasSize(WebhookSender.CAPACITY + 1);
      assertThat(posted.get(1)).contains("queued 5");
      assertThat(posted.get(posted.size() - 1)).contains("queued " + (WebhookSender.CAPACITY + 4));
    }
  }
}
