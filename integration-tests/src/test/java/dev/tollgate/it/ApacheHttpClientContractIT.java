package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.ApacheApp;
import java.util.List;

/** Apache HttpClient 5.1 and 5.6 (classic) under the {@link ClientContractIT} scenarios: a response handler, a response, a streamed entity. */
class ApacheHttpClientContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("apache51", "apache56");
  }

  @Override
  Class<?> app() {
    return ApacheApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("handler", "response");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("stream");
  }

  /** The default client asks for gzip itself and hands the app the decoded entity. */
  @Override
  List<String> gzipModes(String variant) {
    return List.of("response");
  }

  @Override
  List<String> plainModes(String variant) {
    return jsonModes(variant);
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("stream");
  }

  /** The default client's retry strategy retries a 429 once (and a 503, which the scenarios do not send). */
  @Override
  int attempts(String mode, int status) {
    return status == 429 ? 2 : 1;
  }

  @Override
  void assertRefused(Slice s, String mode) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("Connection refused");
  }
}
