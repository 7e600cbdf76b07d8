package dev.tollgate.agent.usage;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Everything a tap reports, as one value, so whole and chunked feeds can be compared at once. */
final class Outcome {
  boolean hasUsage;
  boolean hasFinalUsage;
  boolean complete;
  boolean failed;
  boolean providerFailed;
  boolean stream;
  long input;
  long output;
  long cacheRead;
  long cacheWrite;
  long reasoning;
  @Nullable
  String cost;
  @Nullable
  String model;
  @Nullable
  String responseId;
  long bytes;

  static Outcome of(UsageTap tap) {
    Outcome o = new Outcome();
    o.hasUsage = tap.hasUsage();
    o.hasFinalUsage = tap.hasFinalUsage();
    o.complete = tap.isComplete();
    o.failed = tap.failed();
    o.providerFailed = tap.providerFailed();
    o.stream = tap.isStream();
    Usage u = tap.usage();
    if (o.hasUsage) {
      o.input = u.input;
      o.output = u.output;
      o.cacheRead = u.cacheRead;
      o.cacheWrite = u.cacheWrite;
      o.reasoning = u.reasoning;
      o.cost = u.providerCostUsd == null ? null : u.providerCostUsd.toPlainString();
    }
    o.model = tap.model();
    o.responseId = tap.responseId();
    o.bytes = tap.bytes();
    return o;
  }

  Outcome usage(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
    this.hasUsage = true;
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
    this.reasoning = reasoning;
    return this;
  }

  Outcome cost(String usd) {
    this.cost = new BigDecimal(usd).toPlainString();
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outcome && toString().equals(o.toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toString());
  }

  @Override
  public String toString() {
    return "Outcome{usage=" + hasUsage + ", final=" + hasFinalUsage + ", complete=" + complete + ", failed=" + failed
        + ", providerFailed=" + providerFailed + ", stream=" + stream + ", in=" + input + ", out=" + output + ", cacheRead=" + cacheRead
        + ", cacheWrite=" + cacheWrite + ", reasoning=" + reasoning + ", cost=" + cost + ", model=" + model
        + ", id=" + responseId + ", bytes=" + bytes + '}';
  }
}
