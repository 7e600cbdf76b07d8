package dev.tollgate.agent.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import dev.tollgate.agent.wallet.Wallet;
import dev.tollgate.api.UsageRecord;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OtelMetricsTest {
  private final List<MetricData> exported = new ArrayList<>();
  private final MetricExporter exporter = new MetricExporter() {
    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      exported.clear();
      exported.addAll(metrics);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }
  };
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(PeriodicMetricReader.create(exporter)).build();

  private OtelMetrics metrics(List<String> labels) {
    return new OtelMetrics(provider.get("dev.tollgate"), labels, new Gauges(new Wallet(0, null), false));
  }

  private static UsageRecord record(UsageRecord.Status status, String model, long in, long out, String cost, Map<String, String> attrs) {
    return UsageRecord.builder().id("x").time(Instant.EPOCH).provider("gemini").model(model).operation("generate_content")
        .endpoint("https://generativelanguage.googleapis.com/v1beta/models/x:generateContent").status(status)
        .httpStatus(status == UsageRecord.Status.ERROR ? 429 : 200)
        .inputTokens(in).outputTokens(out).cost(new BigDecimal(cost)).reservation(BigDecimal.ONE).latencyMillis(250).attributes(attrs)
        .build();
  }

  private static String text(io.opentelemetry.api.common.Attributes a) {
    return a.asMap().entrySet().stream().map(e -> e.getKey().getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(","));
  }

  private Map<String, MetricData> collect() {
    provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
    return exported.stream().collect(Collectors.toMap(MetricData::getName, m -> m));
  }

  @Test
  void onCall_recordsGenAiHistogramsAndExactCost() {
    OtelMetrics m = metrics(List.of("provider", "model"));
    m.onCall(record(UsageRecord.Status.OK, "gemini-2.5-flash", 1200, 300, "0.000345", Map.of()), "gemini-2.5-flash", 345_000L, 0);
    m.onCall(record(UsageRecord.Status.OK, "gemini-2.5-flash", 50, 20, "0.0000195", Map.of()), "gemini-2.5-flash", 19_500L, 120_000_000L);
    m.onCall(record(UsageRecord.Status.ERROR, "gemini-2.5-flash", 0, 0, "0", Map.of()), "gemini-2.5-flash", 0, 0);

    Map<String, MetricData> data = collect();

    assertThat(data.get("gen_ai.client.token.usage").getHistogramData().getPoints()).hasSize(2)
        .allSatisfy(p -> assertThat(p.getAttributes().asMap().toString()).contains("gen_ai.provider.name=gcp.gemini",
            "gen_ai.operation.name=generate_content",
            "server.address=generativelanguage.googleapis.com", "server.port=443"))
        .extracting(p -> (long) p.getSum()).containsExactlyInAnyOrder(1250L, 320L);
    assertThat(data.get("gen_ai.client.operation.duration").getHistogramData().getPoints()).extracting(p -> p.getCount())
        .containsExactlyInAnyOrder(2L, 1L);
    assertThat(data.get("gen_ai.client.operation.time_to_first_chunk").getHistogramData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getSum()).isEqualTo(0.12));
    assertThat(data.get("tollgate.cost").getDoubleSumData().getPoints()).singleElement()
        .satisfies(p -> assertThat(BigDecimal.valueOf(p.getValue())).isEqualByComparingTo("0.0003645"));
    assertThat(data.get("tollgate.calls").getLongSumData().getPoints()).extracting(p -> text(p.getAttributes()) + " " + p.getValue())
        .containsExactlyInAnyOrder("model=gemini-2.5-flash,provider=gemini,tollgate.status=ok 2",
            "model=gemini-2.5-flash,provider=gemini,tollgate.status=error 1");
  }

  @Test
  void onCall_labelsCostOnlyWithListedRecordAttributes() {
    OtelMetrics m = metrics(List.of("tenant"));
    m.onCall(record(UsageRecord.Status.OK, "a", 1, 1, "0.1", Map.of("tenant", "acme", "feature", "chat")), "a", 100_000_000L, 0);
    m.onCall(record(UsageRecord.Status.OK, "b", 1, 1, "0.2", Map.of("tenant", "acme")), "b", 200_000_000L, 0);
    m.onCall(record(UsageRecord.Status.BLOCKED, "b", 0, 0, "0", Map.of("tenant", "globex")), "b", 0, 0);

    Map<String, MetricData> data = collect();

    assertThat(data.get("tollgate.cost").getDoubleSumData().getPoints()).extracting(p -> text(p.getAttributes()) + " " + p.getValue())
        .containsExactlyInAnyOrder("tenant=acme 0.3", "tenant=globex 0.0");
    assertThat(data.get("tollgate.calls").getLongSumData().getPoints()).extracting(p -> text(p.getAttributes()) + " " + p.getValue())
        .containsExactlyInAnyOrder("tenant=acme,tollgate.status=ok 2", "tenant=globex,tollgate.status=blocked 1");
    assertThat(data.get("gen_ai.client.token.usage").getHistogramData().getPoints()).hasSize(4); // blocked: none
  }

  @Test
  void unmeteredConnections_onePointPerEndpointClassAndAction_theOverflowMarked_readAtCollection() {
    Gauges gauges = new Gauges(new Wallet(0, null), false);
    UnmeteredConnections seen = new UnmeteredConnections();
    gauges.unmetered(seen);
    new OtelMetrics(provider.get("dev.tollgate"), List.of(), gauges);
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    for (int i = 0; i <= UnmeteredConnections.MAX_SERIES; i++) {
      seen.add("10.0.0." + i, 443, "com.acme.Scanner", "openai", false);
    }

    Map<String, MetricData> data = collect();

    MetricData counter = data.get("tollgate.unmetered.connections");
    assertThat(counter.getUnit()).isEqualTo("{connection}");
    assertThat(counter.getLongSumData().isMonotonic()).isTrue();
    assertThat(counter.getLongSumData().getPoints()).hasSize(UnmeteredConnections.MAX_SERIES + 1)
        .extracting(p -> text(p.getAttributes()) + " " + p.getValue())
        .contains("server.address=api.openai.com,server.port=443,tollgate.action=warned,tollgate.client.class=com.acme.Raw 2",
            "otel.metric.overflow=true,tollgate.action=warned 2");
  }
}
