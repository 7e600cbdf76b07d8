package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.ApacheAsyncApp;
import java.util.List;

/**
 * Apache HttpClient 5.1 and 5.6 async clients under the {@link ClientContractIT} scenarios: a {@code
 * SimpleHttpRequest} on the default and the minimal client, and a streaming consumer. Every outcome
 * reaches the application's callback exactly once.
 */
class ApacheAsyncContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("apache51", "apache56");
  }

  @Override
  Class<?> app() {
    return ApacheAsyncApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("simple", "minimal");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("stream");
  }

  @Override
  List<String> exceptionModes(String variant) {
    return List.of("simple", "minimal", "stream");
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("stream");
  }

  @Override
  void moreOnJson(Slice s, String mode) {
    assertThat(s.lines("CALLBACK ")).as(s.toString()).containsExactly("completed");
  }

  @Override
  void moreOnStream(Slice s, String mode) {
    assertThat(s.lines("CALLBACK ")).as(s.toString()).containsExactly("completed");
    assertThat(s.agentLog()).isEmpty();
  }

  @Override
  void moreOnBlocked(Slice s, String mode, String url) {
    assertThat(s.lines("CALLBACK ")).as(s.toString()).containsExactly("completed");
  }

  @Override
  void moreOnErrorAnswer(Slice s, String mode, int status) {
    assertThat(s.lines("CALLBACK ")).as(s.toString()).containsExactly("completed");
  }

  /** The default client's retry strategy retries a 429 once; the minimal client has none. */
  @Override
  int attempts(String mode, int status) {
    return status == 429 && !mode.equals("minimal") ? 2 : 1;
  }

  @Override
  void assertRefused(Slice s, String mode) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("Connection refused");
    assertThat(s.lines("CALLBACK ")).singleElement().asString().startsWith("failed");
  }

  @Override
  void moreOnThrown(Slice s, String mode) {
    assertThat(s.lines("CALLBACK ")).as(s.toString()).containsExactly("failed dev.tollgate.api.CreditsExhaustedException");
    if (mode.equals("stream")) {
      assertThat(s.lines("CONSUMER-FAILED ")).containsExactly("dev.tollgate.api.CreditsExhaustedException");
    }
  }
}
