package dev.tollgate.agent.journal;

import static dev.tollgate.agent.fuzz.Fuzz.neverThrows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.fuzz.Fuzz;
import dev.tollgate.agent.fuzz.Mutation;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal damaged every way ({@link Mutation}): every line is either a record, whose amounts the
 * wallet, report and ledger can add up, or one skipped line; reading it never fails.
 */
class JournalFuzzTest {
  @TempDir
  Path dataDir;

  private static byte[] journal() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(JournalCodec.encode(UsageRecord.builder().id("tg-1").time(Instant.parse("2026-01-02T03:04:05Z"))
        .provider("openai").model("gpt-4o-mini-2024-07-18").operation("chat").endpoint("https://api.openai.com/v1/chat/completions")
        .status(UsageRecord.Status.OK).httpStatus(200).inputTokens(1200).outputTokens(300).cacheReadTokens(200)
        .cost(new BigDecimal("0.000345")).reservation(new BigDecimal("0.0000618")).latencyMillis(812).stream(false)
        .attributes(Map.of("tenant", "acme", "feature", "search")).requestId("chatcmpl-it1").build()));
    out.writeBytes(JournalCodec.encode(UsageRecord.builder().id("tg-2").time(Instant.parse("2026-01-02T03:04:06Z"))
        .provider("anthropic").model("claude-3-5-haiku-latest").operation("messages").endpoint("https://api.anthropic.com/v1/messages")
        .status(UsageRecord.Status.BLOCKED).httpStatus(402).cost(BigDecimal.ZERO).reservation(new BigDecimal("0.0008")).build()));
    out.writeBytes(JournalCodec.encode(new Reconciliation("rc-1", Instant.parse("2026-01-02T03:09:00Z"), "openrouter",
        Instant.parse("2026-01-02T03:04:00Z"), Instant.parse("2026-01-02T03:09:00Z"), new BigDecimal("0.5"), new BigDecimal("0.000345"))));
    return out.toByteArray();
  }

  @Test
  void decodeAny_damagedLine_isARecordWithUsableAmountsOrAnIllegalArgumentException() {
    byte[] journal = journal();
    Fuzz.qt(500).forAll(Fuzz.mutations(3)).checkAssert(mutations -> neverThrows(mutations, () -> {
      for (String line : new String(Mutation.applyAll(journal, mutations), StandardCharsets.UTF_8).split("\n")) {
        Object decoded;
        try {
          decoded = JournalCodec.decodeAny(line);
        } catch (IllegalArgumentException unreadable) {
          continue; // counted and skipped by every reader
        }
        if (decoded instanceof UsageRecord) {
          assertThat(Money.toNanos(((UsageRecord) decoded).cost())).isNotNegative();
          assertThat(Money.toNanos(((UsageRecord) decoded).reservation())).isNotNegative();
        } else {
          Money.toNanos(((Reconciliation) decoded).remote);
          Money.toNanos(((Reconciliation) decoded).local);
        }
      }
    }));
  }

  @Test
  void read_damagedJournalFile_neverFails_andEveryLineIsARecordOrSkipped() {
    byte[] journal = journal();
    Fuzz.qt(200).forAll(Fuzz.mutations(3)).checkAssert(mutations -> neverThrows(mutations, () -> {
      byte[] damaged = Mutation.applyAll(journal, mutations);
      Path file = Files.createDirectories(UsageJournal.journalDir(dataDir)).resolve("usage-2026-01-02.jsonl");
      Files.write(file, damaged);
      List<UsageRecord> records = new ArrayList<>();

      JournalReader.Result r = JournalReader.read(dataDir, records::add);

      assertThat(r.records + r.reconciliations + r.skipped).as("%s", mutations).isEqualTo(nonBlankLines(damaged));
      for (UsageRecord rec : records) {
        assertThat(Money.toNanos(rec.cost())).isNotNegative();
        assertThat(Money.toNanos(rec.reservation())).isNotNegative();
      }
    }));
  }

  @Test
  void decodeAny_damagedLine_readsAsTheTreeReadingDoes() {
    // The token-by-token reading of a usage line as written must never differ from Jackson's tree:
    // the same record, or the same kind of unreadable line.
    byte[] journal = journal();
    Fuzz.qt(1000).forAll(Fuzz.mutations(3)).checkAssert(mutations -> neverThrows(mutations, () -> {
      for (String line : new String(Mutation.applyAll(journal, mutations), StandardCharsets.UTF_8).split("\n")) {
        assertThat(outcome(() -> JournalCodec.decodeAny(line))).as("%s", line).isEqualTo(outcome(() -> JournalCodec.decodeTree(line)));
      }
    }));
  }

  @Test
  void decodeAny_linesOfUnexpectedShape_readAsTheTreeReadingDoes() {
    String line = new String(journal(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    List<String> odd = List.of(
        line.replace("\"provider\":\"openai\"", "\"provider\":null"),
        line.replace("\"input_tokens\":1200", "\"input_tokens\":1200.0"),
        line.replace("\"input_tokens\":1200", "\"input_tokens\":\"1200\""),
        line.replace("\"input_tokens\":1200", "\"input_tokens\":99999999999999999999999"),
        line.replace("\"http_status\":200", "\"http_status\":4294967496"),
        line.replace("\"tenant\":\"acme\"", "\"tenant\":7"),
        line.replace("\"tenant\":\"acme\"", "\"tenant\":{\"x\":1}"),
        line.replace("\"stream\":false", "\"stream\":\"true\""),
        line.replace("{", "{\"cache_write_1h_tokens\":\"7\","),
        line.replace("{", "{\"cache_write_1h_tokens\":7,"),
        line.replace("\"request_id\":\"chatcmpl-it1\"", "\"request_id\":null"),
        line.replace("\"provider\":\"openai\",", ""),
        line.replace("{", "{\"kind\":\"usage\","),
        line.replace("{", "{\"id\":5,"),
        line.replace("{", "{\"later\":{\"a\":[1,{\"b\":null}]},\"attributes\":{\"x\":\"first\"},"),
        line.replace("\"cost\":0.000345", "\"cost\":3.45E-4"),
        line.replace("\"cost\":0.000345", "\"cost\":1"),
        line.replace("\"status\":\"ok\"", "\"status\":\"OK\""),
        line + "{\"trailing\":true}",
        "[" + line + "]",
        "");
    for (String l : odd) {
      assertThat(outcome(() -> JournalCodec.decodeAny(l))).as("%s", l).isEqualTo(outcome(() -> JournalCodec.decodeTree(l)));
    }
  }

  @Test
  void usageAsWritten_readsEveryUsageLineTheAgentWrites() {
    // Else the faster reading silently stops being used.
    Fuzz.qt(300).forAll(Fuzz.between(0, Integer.MAX_VALUE)).checkAssert(seed -> {
      java.util.Random random = new java.util.Random(seed);
      UsageRecord r = UsageRecord.builder().id("tg-" + seed).time(Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(
          1_000_000_000)))
          .provider(random.nextBoolean() ? "openai" : "").model("m\u00e9-" + random.nextInt(9)).operation("chat").endpoint(
              "https://x/v1?q=\"a\"")
          .status(UsageRecord.Status.values()[random.nextInt(UsageRecord.Status.values().length)]).httpStatus(random.nextInt(600))
          .inputTokens(random.nextLong() & Long.MAX_VALUE).outputTokens(random.nextInt()).cacheReadTokens(random.nextInt(5))
          .cacheWriteTokens(random.nextInt(5)).cacheWrite1hTokens(random.nextInt(3)).reasoningTokens(random.nextInt(5))
          .cost(Money.fromNanos(random.nextLong() & 0xffff_ffff_ffffL)).reservation(Money.fromNanos(random.nextInt(Integer.MAX_VALUE)))
          .estimated(random.nextBoolean()).unpriced(random.nextBoolean()).latencyMillis(random.nextInt(100_000)).stream(random
              .nextBoolean())
          .attributes(random.nextBoolean() ? Map.of() : Map.of("tenant", "t\t" + seed, "feature", "\u2603"))
          .requestId(random.nextBoolean() ? null : "req-" + seed).build();
      String line = new String(JournalCodec.encode(r), StandardCharsets.UTF_8).trim();

      assertThat(JournalCodec.usageAsWritten(line)).isEqualTo(r).isEqualTo(JournalCodec.decodeTree(line));
    });
  }

  /** What decoding a line gives: the record (reconciliations compared by their fields), or the kind of exception. */
  private static Object outcome(java.util.concurrent.Callable<Object> decode) {
    try {
      Object o = decode.call();
      if (o instanceof Reconciliation) {
        Reconciliation r = (Reconciliation) o;
        return List.of(r.id, r.time, r.source, r.windowStart, r.windowEnd, r.remote, r.local, r.drift);
      }
      return o;
    } catch (Exception e) {
      return e.getClass();
    }
  }

  // Regressions: what the properties above found.

  @Test
  void decode_costBeyondTheNanoCreditRange_isAnUnreadableLineNotACrashOnStartUp() {
    // Used to decode, then fail recovering the wallet's spend (Money.toNanos) and so start-up.
    String line = new String(journal(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow().replace("\"cost\":0.000345",
        "\"cost\":1e999999999");

    assertThatThrownBy(() -> JournalCodec.decode(line)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cost");
  }

  @Test
  void decode_negativeCost_isAnUnreadableLine() {
    // A damaged line must not hand credits back to the wallet.
    String line = new String(journal(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow().replace("\"cost\":0.000345",
        "\"cost\":-5");

    assertThatThrownBy(() -> JournalCodec.decode(line)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_badTime_isAnIllegalArgumentExceptionLikeAnyUnreadableLine() {
    String line = new String(journal(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow().replace("2026-01-02T03:04:05Z",
        "2026-01-02T03:04:05");

    assertThatThrownBy(() -> JournalCodec.decode(line)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_reconciliationWithATinyAmount_isZeroNotAnOverflowingSubtraction() {
    // drift = remote - local aligned 1e-999999999 with 0.000345: BigInteger overflow (or, for
    // 1e-9999999, seconds of arithmetic) on every read of the journal.
    String line = new String(journal(), StandardCharsets.UTF_8).lines().filter(l -> l.contains("reconciliation")).findFirst().orElseThrow()
        .replace("\"remote\":0.5", "\"remote\":1e-999999999");

    Reconciliation r = (Reconciliation) JournalCodec.decodeAny(line);

    assertThat(r.remote).isEqualByComparingTo("0");
    assertThat(r.drift).isEqualByComparingTo("-0.000345");
  }

  private static long nonBlankLines(byte[] data) {
    return new String(data, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
  }
}
