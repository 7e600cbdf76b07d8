package dev.tollgate.it;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Writes a data dir's journal history fast: JSON lines in the journal's format, written directly (no
 * agent), {@code records} of them spread over the {@code days} daily files that end yesterday (UTC).
 * Costs are whole nano-credits, so the exact total is known.
 *
 * <pre>java -cp integration-tests/target/test-classes dev.tollgate.it.HistoryGenerator DATA_DIR RECORDS [DAYS]</pre>
 */
public final class HistoryGenerator {
  private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "claude-sonnet-4", "gemini-2.5-flash", "text-embedding-3-small"};
  private static final String[] PROVIDERS = {"openai", "openai", "anthropic", "gemini", "openai"};

  private HistoryGenerator() {}

  public static void main(String[] args) throws IOException {
    int days = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    long nanos = generate(Path.of(args[0]), Integer.parseInt(args[1]), days);
    System.out.println("TOTAL_NANOS " + nanos);
  }

  /** Writes the history; returns its total cost in nano-credits. */
  static long generate(Path dataDir, int records, int days) throws IOException {
    Path journal = Files.createDirectories(dataDir.resolve("journal"));
    LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(days);
    long total = 0;
    int written = 0;
    for (int d = 0; d < days; d++) {
      LocalDate day = first.plusDays(d);
      int today = (int) ((long) records * (d + 1) / days) - written;
      long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1000;
      try (BufferedWriter out = Files.newBufferedWriter(journal.resolve("usage-" + day + ".jsonl"), StandardCharsets.UTF_8)) {
        for (int i = 0; i < today; i++, written++) {
          long cost = blocked(written) ? 0 : 1000 + (written % 997) * 37L;
          total += cost;
          out.write(line(written, start + (long) i * 86_400_000L / today, written % MODELS.length, cost));
        }
      }
    }
    return total;
  }

  /** One record; appended piece by piece (a million {@code String.format}s took seconds of the IT). */
  private static String line(int n, long epochMillis, int model, long costNanos) {
    boolean blocked = blocked(n);
    return new StringBuilder(640).append("{\"v\":1,\"id\":\"hist-").append(n).append("\",\"time\":\"")
        .append(java.time.Instant.ofEpochMilli(epochMillis)).append("\",\"provider\":\"").append(PROVIDERS[model])
        .append("\",\"model\":\"").append(MODELS[model]).append("\",\"operation\":\"chat\","
            + "\"endpoint\":\"https://api.example.test/v1/chat/completions\",\"status\":\"").append(blocked ? "blocked" : "ok")
        .append("\",\"http_status\":").append(blocked ? 402 : 200).append(",\"input_tokens\":").append(blocked ? 0 : 200 + n % 3000)
        .append(",\"output_tokens\":").append(blocked ? 0 : 50 + n % 700)
        .append(",\"cache_read_tokens\":0,\"cache_write_tokens\":0,\"reasoning_tokens\":0,\"cost\":").append(plain(costNanos))
        .append(",\"estimated\":false,\"unpriced\":false,\"reservation\":0.001,\"latency_ms\":").append(300 + n % 900)
        .append(",\"stream\":false,\"attributes\":{\"tenant\":\"t").append(n % 40).append("\",\"feature\":\"chat\"},"
            + "\"request_id\":\"chatcmpl-").append(n).append("\"}").append(System.lineSeparator()).toString();
  }

  /** Every 50th call was blocked: it cost nothing. */
  static boolean blocked(int n) {
    return n % 50 == 49;
  }

  private static String plain(long nanos) {
    String fraction = Long.toString(nanos % 1_000_000_000L);
    return nanos / 1_000_000_000L + "." + "000000000".substring(fraction.length()) + fraction;
  }
}
