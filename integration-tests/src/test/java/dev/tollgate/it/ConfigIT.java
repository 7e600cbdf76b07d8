package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.OkHttpApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Configuration as the contract says: precedence, switches, and invalid values that never break the app. */
class ConfigIT extends LoopbackTest {

  private Fork app() {
    return Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake", server.url("/v1").toString(), "openai")
        .args("sync", server.url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST);
  }

  @Test
  void invalidValue_logsOneLineNamingKeyValueAndAllowed_andTheAppRunsUnmetered() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app().prop("tollgate.budget", "0").prop("tollgate.enforce", "sometimes").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(r.lines("ACTIVE ")).containsExactly("false");
    assertThat(r.agentLog()).containsExactly("[tollgate] ERROR invalid configuration tollgate.enforce=sometimes (system property): "
        + "one of block, warn, off; Tollgate is not metering, the application runs unmetered");
    assertThat(Journal.records(dataDir)).isEmpty();
  }

  @Test
  void invalidEndpointUrl_andBadAgentArgument_areReportedClearly() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result badUrl = app().prop("tollgate.endpoint.broken.url", "ftp://x").run();
    Fork.Result badArgs = app().agentArgs("budget").run();

    assertThat(badUrl.lines("STATUS ")).as(badUrl.toString()).containsExactly("200");
    assertThat(badUrl.agentLog()).singleElement().asString().contains("tollgate.endpoint.broken.url=ftp://x").contains(
        "http:// or https://");
    assertThat(badArgs.lines("STATUS ")).as(badArgs.toString()).containsExactly("200");
    assertThat(badArgs.agentLog()).singleElement().asString().contains("invalid agent argument 'budget'").contains("key=value");
  }

  @Test
  void enforceWarn_letsTheCallThrough_recordsIt_andSaysSoOnce() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app().prop("tollgate.budget", "0").prop("tollgate.enforce", "warn")
        .prop("tollgate.budget.model.gpt-4o-mini", "0/day").args("--calls", 2).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200");
    assertThat(Journal.records(dataDir)).extracting(n -> n.get("status").asText()).containsExactly("ok", "ok");
    assertThat(r.agentLog()).filteredOn(l -> l.contains("credits are short (tollgate.enforce=warn)")).hasSize(1);
    // A scoped budget the calls exceed says so too, once per budget.
    assertThat(r.agentLog()).filteredOn(l -> l.contains("tollgate.enforce=warn")).containsOnlyOnce(
        "[tollgate] WARN the budget {model=gpt-4o-mini} 0/day is exceeded (tollgate.enforce=warn): calls that would be blocked are let"
            + " through and recorded");
  }

  @Test
  void enforceOff_recordsWithoutChecking() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app().prop("tollgate.budget", "0").prop("tollgate.enforce", "off").args("--balance").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("ok");
    // Not enforced, but still spent: the balance and the low-balance warning tell the truth.
    assertThat(r.lines("BALANCE ")).containsExactly("-0.000345");
    assertThat(r.agentLog()).containsExactly("[tollgate] WARN credit balance is low: -0.000345 credits left (threshold 0)");
  }

  @Test
  void enabledFalse_touchesNothing() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app().prop("tollgate.budget", "0").prop("tollgate.enabled", "false").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(r.lines("ACTIVE ")).containsExactly("false");
    assertThat(Files.exists(dataDir)).isFalse();
  }

  @Test
  void precedence_systemPropertyOverAgentArgOverEnvironmentOverFile() throws Exception {
    Path file = tmp.resolve("tollgate.properties");
    Files.writeString(file, "budget=0\nblock-mode=exception\n");

    // File alone: budget 0 blocks, in exception mode.
    Fork.Result fromFile = app().prop("tollgate.config-file", file).run();
    // Environment beats the file; agent argument beats the environment; system property beats all.
    Fork.Result fromEnv = app().prop("tollgate.config-file", file).env("TOLLGATE_BLOCK_MODE", "response").run();
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork.Result fromArg = app().env("TOLLGATE_CONFIG_FILE", file).env("TOLLGATE_BUDGET", "0").agentArgs("budget=1").run();
    Fork.Result fromProp = app().env("TOLLGATE_BUDGET", "1").agentArgs("budget=1").prop("tollgate.budget", "0").run();

    assertThat(fromFile.lines("ERROR ")).as(fromFile.toString()).singleElement().asString().startsWith(
        "dev.tollgate.api.CreditsExhaustedException");
    assertThat(fromEnv.lines("STATUS ")).as(fromEnv.toString()).containsExactly("402");
    assertThat(fromArg.lines("STATUS ")).as(fromArg.toString()).containsExactly("200");
    assertThat(fromProp.lines("STATUS ")).as(fromProp.toString()).containsExactly("402");
  }

  @Test
  void instrumentationSwitchedOff_leavesThatClientUntouched() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app().prop("tollgate.budget", "0").prop("tollgate.instrumentation.okhttp.enabled", "false").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(r.lines("ACTIVE ")).containsExactly("true");
    assertThat(Journal.records(dataDir)).isEmpty();
  }

  @Test
  void misspeltKeys_areNamedOnce_withTheKeyTheyMisspell_andMeteringGoesOn() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app().prop("tollgate.budjet", "0").env("TOLLGATE_ENFORSE", "off").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(r.lines("ACTIVE ")).containsExactly("true");
    assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(r.agentLog()).containsExactly(
        "[tollgate] WARN unknown setting tollgate.budjet (system property) is ignored; did you mean tollgate.budget?",
        "[tollgate] WARN unknown setting tollgate.enforse (environment) is ignored; did you mean tollgate.enforce?");
  }

  @Test
  void pricingFile_overridesTheCatalog_andABadOneIsNamedWithItsLineAndField() throws Exception {
    Path prices = tmp.resolve("prices.json");
    // gpt-4o-mini at 1.00 in, 0.50 cached, 2.00 out: 1,000 × 1.00 + 200 × 0.50 + 300 × 2.00 per 1M = 0.0017.
    Files.writeString(prices, "{ \"models\": { \"gpt-4o-mini\": { \"input\": 1.00, \"cached_input\": 0.50, \"output\": 2.00 } } }\n");
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{ \"models\": {\n  \"gpt-4o-mini\": { \"output\": \"cheap\" } } }\n");
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result overridden = app().prop("tollgate.pricing-file", prices).run();
    Fork.Result broken = app().prop("tollgate.pricing-file", bad).prop("tollgate.data-dir", tmp.resolve("other")).run();

    assertThat(overridden.lines("STATUS ")).as(overridden.toString()).containsExactly("200");
    assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo("0.0017");
    assertThat(overridden.agentLog()).isEmpty();
    assertThat(broken.lines("STATUS ")).as(broken.toString()).containsExactly("200");
    assertThat(broken.agentLog()).singleElement().asString()
        .contains("tollgate.pricing-file=" + bad + ": line 2: models.gpt-4o-mini.output")
        .contains("the application runs unmetered");
    assertThat(Journal.records(tmp.resolve("other"))).isEmpty();
  }
}
