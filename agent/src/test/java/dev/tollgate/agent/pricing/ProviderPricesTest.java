package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider-qualified entries: what the endpoint that served the call charges, the model-only entry as the default. */
class ProviderPricesTest {
  private static final String FILE = "{\"models\":{\"open-model\":{\"provider\":\"vendor\",\"input\":1,\"output\":2}},"
      + "\"providers\":{\"groq\":{\"models\":{\"open-model\":{\"input\":0.05,\"output\":0.08}},"
      + "\"aliases\":{\"open-model-instant\":\"open-model\"}}}}";

  @TempDir
  Path dir;

  @Test
  void find_providerHasEntry_pricesAtTheProvidersRate() throws IOException {
    PriceCatalog catalog = PriceCatalog.load(write(FILE));

    ModelPrice groq = catalog.find("groq", "open-model");

    assertThat(groq.input).isEqualByComparingTo("0.05");
    assertThat(groq.output).isEqualByComparingTo("0.08");
    assertThat(groq.provider).isEqualTo("groq");
    assertThat(catalog.find("groq", "open-model-instant")).isSameAs(groq);
  }

  @Test
  void find_providerWithoutEntry_pricesAtTheModelOnlyRate() throws IOException {
    PriceCatalog catalog = PriceCatalog.load(write(FILE));

    assertThat(catalog.find("together", "open-model").input).isEqualByComparingTo("1");
    assertThat(catalog.find(null, "open-model").input).isEqualByComparingTo("1");
    assertThat(catalog.find("open-model").input).isEqualByComparingTo("1");
    assertThat(catalog.find("groq", "gpt-4o-mini").model).isEqualTo("gpt-4o-mini");
  }

  @Test
  void find_ollama_localModelsCostNothing() {
    PriceCatalog bundled = PriceCatalog.load(null);

    for (String model : new String[] {"llama3.2", "qwen3:8b", "gpt-oss:20b", "gpt-4o"}) {
      ModelPrice price = bundled.find("ollama", model);
      assertThat(price.input).as(model).isZero();
      assertThat(price.output).as(model).isZero();
      assertThat(price.cachedInput).as(model).isZero();
    }
    assertThat(bundled.find("openai", "gpt-4o").input).isEqualByComparingTo("2.50");
  }

  @Test
  void find_ollamaModelPricedInFile_usesThatPrice() throws IOException {
    PriceCatalog catalog = PriceCatalog
        .load(write("{\"providers\":{\"ollama\":{\"models\":{\"llama3.2\":{\"input\":0.01,\"output\":0.02}}}}}"));

    assertThat(catalog.find("ollama", "llama3.2").input).isEqualByComparingTo("0.01");
    assertThat(catalog.find("ollama", "qwen3:8b").input).isZero();
  }

  @Test
  void quote_withProvider_reservesAtTheProvidersRate() throws IOException {
    Quoter quoter = new Quoter(PriceCatalog.load(write(FILE)), BigDecimal.ONE);

    // 1,000,000 input x 0.05 + 1,000,000 output x 0.08 = 0.13 USD, against 3 USD model-only.
    assertThat(quoter.quote("groq", "open-model", 1_000_000, 1_000_000).worstCaseNanos).isEqualTo(130_000_000L);
    assertThat(quoter.quote("together", "open-model", 1_000_000, 1_000_000).worstCaseNanos).isEqualTo(3_000_000_000L);
  }

  @Test
  void load_badProviderEntry_namesProviderModelAndField() throws IOException {
    Path file = write("{\"providers\":{\"groq\":{\"models\":{\"m\":{\"input\":\"cheap\",\"output\":1}}}}}");

    assertThatThrownBy(() -> PriceCatalog.load(file)).isInstanceOf(PricingException.class)
        .hasMessageContaining("line 1: providers.groq.models.m.input: must be a number");
  }

  @Test
  void load_providerAliasToUnknownModel_isRejected() throws IOException {
    Path file = write("{\"providers\":{\"groq\":{\"aliases\":{\"a\":\"nope\"}}}}");

    assertThatThrownBy(() -> PriceCatalog.load(file)).hasMessageContaining("providers.groq.aliases.a: points to unknown model");
  }

  private Path write(String json) throws IOException {
    Path file = dir.resolve("prices.json");
    Files.write(file, json.getBytes(StandardCharsets.UTF_8));
    return file;
  }
}
