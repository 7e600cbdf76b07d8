package dev.tollgate.agent.journal;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random journal history for the checkpoint, rollup and retention tests: every field a report or budget reads varies. */
public final class HistoryRecords {
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-pro"};
  private static final String[] PROVIDERS = {"openai", "anthropic", "google"};
  private static final String[] TENANTS = {"acme", "globex", "initech"};
  private static final UsageRecord.Status[] STATUSES = UsageRecord.Status.values();

  private HistoryRecords() {}

  /** {@code perDay} records on each of {@code days} days ending the day before {@code firstDay + days}, appended to the journal. */
  public static List<UsageRecord> write(Path dataDir, Instant firstDay, int days, int perDay, long seed) throws IOException {
    Random random = new Random(seed);
    List<UsageRecord> all = new ArrayList<>();
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      for (int d = 0; d < days; d++) {
        for (int i = 0; i < perDay; i++) {
          UsageRecord r = random(random, firstDay.plusSeconds(d * 86_400L + random.nextInt(86_400)), "r" + d + "-" + i);
          journal.append(r);
          all.add(r);
        }
      }
    }
    return all;
  }

  static UsageRecord random(Random random, Instant time, String id) {
    UsageRecord.Status status = STATUSES[random.nextInt(STATUSES.length)];
    boolean blocked = status == UsageRecord.Status.BLOCKED;
    return UsageRecord.builder().id(id).time(time)
        .provider(PROVIDERS[random.nextInt(PROVIDERS.length)]).model(MODELS[random.nextInt(MODELS.length)])
        .operation(random.nextBoolean() ? "chat" : "embeddings").endpoint("https://example.test/v1").status(status)
        .httpStatus(blocked ? 402 : 200).inputTokens(blocked ? 0 : random.nextInt(5000)).outputTokens(blocked ? 0 : random.nextInt(900))
        .cost(blocked ? java.math.BigDecimal.ZERO : Money.fromNanos(1 + random.nextInt(50_000_000)))
        .attributes(random.nextInt(4) == 0 ? Map.of() : Map.of("tenant", TENANTS[random.nextInt(TENANTS.length)]))
        .build();
  }

  public static long spentNanos(List<UsageRecord> records) {
    return records.stream().mapToLong(r -> Money.toNanos(r.cost())).sum();
  }
}
