package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import org.junit.jupiter.api.Test;

/** The local wallet's buckets: credits granted with the CLI limit a running app, and the ledger explains the spend. */
class LocalWalletIT extends LoopbackTest {

  @Test
  void grantedCredits_limitAnAppWithoutABudget_andTheLedgerAccountsForEveryCall() throws Exception {
    Fork.Result grant = Fork.cli("grant", "--data-dir", dataDir.toString(), "--credits", "0.0005", "--source-type", "promo");
    assertThat(grant.exit).as(grant.toString()).isZero();
    for (int i = 0; i < 3; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }

    // Each call costs 0.000345: two fit in the 0.0005 granted, the third is blocked.
    Fork.Result r = Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake", url("/v1"), "openai")
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--calls", 3).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200", "402");
    assertThat(server.getRequestCount()).isEqualTo(2);

    JsonNode ledger = Journal.json(Fork.cli("ledger", "--data-dir", dataDir.toString(), "--json").stdout);
    assertThat(ledger.get("total").asInt()).isEqualTo(3);
    assertThat(ledger.get("entries")).extracting(e -> e.get("entry_type").asText()).containsExactly("credit", "debit", "debit");
    assertThat(ledger.get("entries").get(0).get("category").asText()).isEqualTo("promo");

    JsonNode balance = Journal.json(Fork.cli("balance", "--data-dir", dataDir.toString(), "--json").stdout);
    assertThat(balance.get("balance_credits").decimalValue()).isEqualByComparingTo("-0.00019"); // 0.0005 − 2 × 0.000345
    assertThat(balance.get("buckets")).extracting(b -> b.get("source_type").asText()).containsExactly("promo", "overdraft");
  }
}
