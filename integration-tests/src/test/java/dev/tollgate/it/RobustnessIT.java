package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import org.junit.jupiter.api.Test;

/** Regression tests for the failure modes a review found: each used to break or mis-meter a call. */
class RobustnessIT extends LoopbackTest {

  private Fork app(String mode, String body) {
    return Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake", url("/v1"), "openai")
        .args(mode, url("/v1/chat/completions"), body);
  }

  @Test
  void customRequestBodyThatStreamsOnce_isSentIntact_andEstimatedFromItsLength() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("sync", Fixtures.OPENAI_REQUEST).args("--streaming-body").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  @Test
  void responseDroppedUnreadAndUnclosed_releasesItsReservation_andIsRecordedCancelled() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("sync", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "1").args("--abandon").run();

    assertThat(r.lines("HELD ")).as(r.toString()).containsExactly("0.9999187"); // the 0.0000813 reservation (input bounded, not counted)
    // Once the body is unreachable it settles to what was billable: the estimated input only (the tokenizer is
    // not loaded in this JVM, so the heuristic's 12 tokens × 0.15 per 1M).
    assertThat(r.lines("BALANCE ")).containsExactly("0.9999982");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("cancelled");
    assertThat(rec.get("estimated").asBoolean()).isTrue();
  }

  @Test
  void streamWithoutUsage_estimatesOutputWithinTheRequestsBound() {
    String noUsage = Fixtures.OPENAI_SSE.replaceAll("data: \\{[^\\n]*\"usage\"[^\\n]*\\n\\n", "");
    server.enqueue(Fixtures.sse(noUsage));

    Fork.Result r = app("stream", Fixtures.OPENAI_REQUEST.replace("{", "{\"stream\":true,")).run();

    assertThat(r.lines("LINE ")).as(r.toString()).contains("data: [DONE]");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("estimated").asBoolean()).isTrue();
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("output_tokens").asLong()).isBetween(1L, 100L); // max_tokens is 100
  }

  @Test
  void unknownModel_isFlaggedUnpriced_butStillRunsTheBudgetDown() {
    String mystery = Fixtures.OPENAI_JSON.replace("gpt-4o-mini-2024-07-18", "mystery-model-7");
    server.enqueue(Fixtures.json(mystery));

    Fork.Result r = app("sync", Fixtures.OPENAI_REQUEST.replace("gpt-4o-mini", "mystery-model-7")).prop("tollgate.budget", "1").args(
        "--balance").run();

    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("unpriced").asBoolean()).as(r.toString()).isTrue();
    // Fallback 10.00 in / 30.00 out per 1M: 1200 × 10 + 300 × 30 = 0.021
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo("0.021");
    assertThat(r.lines("BALANCE ")).containsExactly("0.979");
    assertThat(r.agentLog()).singleElement().asString().contains("mystery-model-7 has no price");
  }
}
