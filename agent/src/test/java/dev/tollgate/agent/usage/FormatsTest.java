package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FormatsTest {
  static List<Format> formats() {
    return Formats.ALL;
  }

  @Test
  void names_areTheRegisteredFormatsOnce() {
    assertThat(Formats.names()).doesNotHaveDuplicates().hasSize(Formats.ALL.size()).startsWith("openai", "anthropic", "gemini", "cohere");
    assertThat(new HashSet<>(Formats.names())).allMatch(n -> n.equals(n.toLowerCase(java.util.Locale.ROOT)));
  }

  @Test
  void forName_unknown_failsNamingTheKnownFormats() {
    assertThatThrownBy(() -> Format.forName("soap"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("soap")
        .hasMessageContaining(String.join(", ", Formats.names()));
  }

  @ParameterizedTest
  @MethodSource("formats")
  void forName_anyCase_isTheRegisteredFormat(Format format) {
    assertThat(Format.forName(format.wireName().toUpperCase(java.util.Locale.ROOT))).isSameAs(format);
  }

  /** Every registered format is a configuration value, and a configured endpoint meters its first operation. */
  @ParameterizedTest
  @MethodSource("formats")
  void configuredEndpoint_ofEveryFormat_classifiesItsOperations(Format format) {
    TollgateConfig config = TollgateConfig.load(ConfigSource.of(
        Map.of("tollgate.endpoint.local.url", "http://127.0.0.1:9/base", "tollgate.endpoint.local.format", format.wireName()),
        Map.of(), Map.of()));
    EndpointCatalog catalog = EndpointCatalog.of(config.endpoints.values());
    Operation first = catalog.endpoints().get(0).operations().get(0);

    Operation op = catalog.classify("POST", "http://127.0.0.1:9/base/v1/models/m" + first.pathSuffix());

    assertThat(op).isSameAs(first);
    assertThat(op.format()).isSameAs(format);
  }
}
