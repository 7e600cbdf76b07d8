package dev.tollgate.agent.metrics.micrometer.support;

import dev.tollgate.agent.bootstrap.MicrometerBridge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Registers Tollgate's meters in {@link Metrics#globalRegistry}. Spring Boot adds its registries
 * (the Prometheus one behind {@code /actuator/prometheus}, …) to that composite, and a composite
 * hands the meters it holds to every registry added later, so registration order does not matter.
 */
public final class MicrometerSupport extends MicrometerBridge {
  private final MeterRegistry registry = Metrics.globalRegistry;

  @Override
  public void counter(String name, String description, @Nullable String baseUnit, String[] tags, DoubleSupplier value) {
    FunctionCounter.builder(name, value, DoubleSupplier::getAsDouble).description(description).baseUnit(baseUnit).tags(tags)
        .register(registry);
  }

  @Override
  public void gauge(String name, String description, @Nullable String baseUnit, String[] tags, DoubleSupplier value) {
    Gauge.builder(name, value, DoubleSupplier::getAsDouble).description(description).baseUnit(baseUnit).tags(tags).strongReference(true)
        .register(registry);
  }

  @Override
  public void timer(String name, String description, String[] tags, LongSupplier count, DoubleSupplier totalSeconds) {
    FunctionTimer.builder(name, count, LongSupplier::getAsLong, c -> totalSeconds.getAsDouble(), TimeUnit.SECONDS)
        .description(description).tags(tags).register(registry);
  }
}
