package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.Apache4App;
import java.util.List;

/**
 * Apache HttpClient 4.5 (classic) under the {@link ClientContractIT} scenarios: a response handler, a
 * response, a streamed entity, and a gzip body decoded by the client or, with its decompression off,
 * by the app. The worked example of docs/contributing/adding-a-client.md.
 */
class Apache4ContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("apache4");
  }

  @Override
  Class<?> app() {
    return Apache4App.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("handler", "response");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("stream");
  }

  /** {@code response}: the default client asks for gzip and decodes it; {@code raw}: the app does both, the tap decodes its own view. */
  @Override
  List<String> gzipModes(String variant) {
    return List.of("response", "raw");
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("stream");
  }

  /** {@code HttpHostConnectException}, a {@code ConnectException} of the client's own. */
  @Override
  void assertRefused(Slice s, String mode) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("Connection refused");
  }
}
