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
