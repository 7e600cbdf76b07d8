package dev.tollgate.agent.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.bootstrap.MicrometerBridge;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import dev.tollgate.agent.wallet.Wallet;
import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {
  /** What a registry would hold: each meter by name and tags, read as Micrometer reads it. */
  private final Map<String, DoubleSupplier> meters = new LinkedHashMap<>();
  /** A second meter of one name and tags: Micrometer would keep the first and never read this one. */
  private final List<String> duplicates = new java.util.ArrayList<>();
  private final MicrometerBridge registry = new MicrometerBridge() {
    @Override
    public void counter(String name, String description, String baseUnit, String[] tags, DoubleSupplier value) {
      add(name + Arrays.toString(tags), value);
    }

    @Override
    public void gauge(String name, String description, String baseUnit, String[] tags, DoubleSupplier value) {
      add(name + Arrays.toString(tags), value);
    }

    @Override
    public void timer(String name, String description, String[] tags, LongSupplier count, DoubleSupplier totalSeconds) {
      add(name + ".count" + Arrays.toString(tags), count::getAsLong);
      add(name + ".seconds" + Arrays.toString(tags), totalSeconds);
    }

    private void add(String key, DoubleSupplier value) {
      if (meters.putIfAbsent(key, value) != null) {
        duplicates.add(key);
      }
    }
  };

  private static UsageRecord record(UsageRecord.Status status, long in, long out, Map<String, String> attrs) {
    return UsageRecord.builder().id("x").time(Instant.EPOCH).provider("openai").model("gpt-4o-mini-2024-07-18").operation("chat")
        .endpoint("https://api.openai.com/v1/chat/completions").status(status).httpStatus(status == UsageRecord.Status.ERROR ? 429 : 200)
        .inputTokens(in).outputTokens(out).cost(BigDecimal.ZERO).reservation(BigDecimal.ONE).latencyMillis(250).attributes(attrs).build();
  }

  private double sum(String nameAndTag) {
    return meters.entrySet().stream().filter(e -> e.getKey().startsWith(nameAndTag.split(" ")[0] + "[")
        && (nameAndTag.indexOf(' ') < 0 || e.getKey().contains(nameAndTag.substring(nameAndTag.indexOf(' ') + 1))))
        .mapToDouble(e -> e.getValue().getAsDouble()).sum();
  }

  @Test
  void callsBeforeTheRegistry_areCounted_andLaterCallsShowAsTheyCome() {
    MicrometerMetrics m = new MicrometerMetrics(List.of("provider", "model"), new Gauges(new Wallet(0, null), false));
    m.onCall(record(UsageRecord.Status.OK, 1200, 300, Map.of()), "gpt-4o-mini", 345_000L, 0);

    m.register(registry);
    m.onCall(record(UsageRecord.Status.OK, 50, 20, Map.of()), "gpt-4o-mini", 19_500L, 120_000_000L);
    m.onCall(record(UsageRecord.Status.ERROR, 0, 0, Map.of()), "gpt-4o-mini", 0, 0);
    m.onCall(record(UsageRecord.Status.BLOCKED, 0, 0, Map.of()), "gpt-4o-mini", 0, 0);

    assertThat(sum("tollgate.cost")).isEqualTo(0.0003645);
    assertThat(sum("tollgate.calls tollgate.status, ok")).isEqualTo(2);
    assertThat(sum("tollgate.calls tollgate.status, error")).isEqualTo(1);
    assertThat(sum("tollgate.calls tollgate.status, blocked")).isEqualTo(1);
    assertThat(sum("gen_ai.client.token.usage gen_ai.token.type, input")).isEqualTo(1250);
    assertThat(sum("gen_ai.client.token.usage gen_ai.token.type, output")).isEqualTo(320);
    assertThat(sum("gen_ai.client.operation.duration.count")).isEqualTo(3); // not the blocked call
    assertThat(sum("gen_ai.client.operation.duration.count error.type, 429")).isEqualTo(1);
    assertThat(sum("gen_ai.client.operation.duration.seconds")).isEqualTo(0.75);
    assertThat(sum("gen_ai.client.operation.time_to_first_chunk.count")).isEqualTo(1);
    assertThat(sum("gen_ai.client.operation.time_to_first_chunk.seconds")).isEqualTo(0.12);
    assertThat(meters.keySet()).anyMatch(k -> k.startsWith("gen_ai.client.operation.duration.count[gen_ai.operation.name, chat, "
        + "gen_ai.provider.name, openai, gen_ai.request.model, gpt-4o-mini, gen_ai.response.model, gpt-4o-mini-2024-07-18, "
        + "server.address, api.openai.com, server.port, 443, error.type, ]"));
    assertThat(meters.keySet()).contains("tollgate.reservations.open[]").noneMatch(k -> k.startsWith("tollgate.balance"));
    assertThat(duplicates).isEmpty();
  }

  @Test
  void kindsOfCallWithTheSameTags_shareOneMeter() {
    MicrometerMetrics m = new MicrometerMetrics(List.of("provider"), new Gauges(new Wallet(0, null), false));
    m.register(registry);
    m.onCall(record(UsageRecord.Status.OK, 100, 10, Map.of()), null, 1L, 0);
    m.onCall(record(UsageRecord.Status.CANCELLED, 40, 5, Map.of()), null, 1L, 0); // same token tags, another kind

    assertThat(duplicates).isEmpty();
    assertThat(sum("gen_ai.client.token.usage gen_ai.token.type, input")).isEqualTo(140);
    assertThat(sum("gen_ai.client.operation.duration.count error.type, cancelled")).isEqualTo(1);
  }

  @Test
  void everySeriesOfAName_hasTheSameTagKeys() {
    MicrometerMetrics m = new MicrometerMetrics(List.of("tenant", "model"), new Gauges(new Wallet(0, null), false));
    m.register(registry);
    m.onCall(record(UsageRecord.Status.OK, 10, 1, Map.of("tenant", "acme")), null, 1L, 0);
    m.onCall(record(UsageRecord.Status.OK, 10, 1, Map.of()), null, 2L, 0);

    assertThat(meters.keySet()).contains("tollgate.cost[tenant, acme, model, gpt-4o-mini-2024-07-18]",
        "tollgate.cost[tenant, , model, gpt-4o-mini-2024-07-18]");
    assertThat(sum("tollgate.cost tenant, acme")).isEqualTo(1e-9);
    assertThat(duplicates).isEmpty();
  }

  @Test
  void unmeteredConnections_seenBeforeAndAfterTheRegistry_eachOneCounter() {
    Gauges gauges = new Gauges(new Wallet(0, null), false);
    UnmeteredConnections seen = new UnmeteredConnections();
    gauges.unmetered(seen);
    MicrometerMetrics m = new MicrometerMetrics(List.of("provider"), gauges);
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", true);

    m.register(registry);
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", true);
    seen.add("127.0.0.1", 8080, "com.acme.Other", "fake", true);

    assertThat(meters).containsKeys(
        "tollgate.unmetered.connections[server.address, api.openai.com, server.port, 443, tollgate.client.class, com.acme.Raw, "
            + "tollgate.action, refused]",
        "tollgate.unmetered.connections[server.address, 127.0.0.1, server.port, 8080, tollgate.client.class, com.acme.Other, "
            + "tollgate.action, refused]");
    assertThat(sum("tollgate.unmetered.connections com.acme.Raw")).isEqualTo(2);
    assertThat(sum("tollgate.unmetered.connections")).isEqualTo(3);
    assertThat(duplicates).isEmpty();
  }
}
