package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.SpringApp;
import java.util.List;

/** Spring's WebClient and RestClient on Reactor Netty (it-classpaths/spring) under the {@link ClientContractIT} scenarios. */
class SpringContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("spring");
  }

  @Override
  Class<?> app() {
    return SpringApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("webclient", "restclient");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("webclient-stream");
  }

  /** The stream mode prints no Tollgate-Blocked header. */
  @Override
  List<String> blockedModes(String variant) {
    return jsonModes(variant);
  }

  @Override
  List<String> plainModes(String variant) {
    return jsonModes(variant);
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("webclient-stream");
  }

  /** Reactor wraps the failure; the app prints the chain of causes. */
  @Override
  void assertRefused(Slice s, String mode) {
    assertThat(String.join("\n", s.lines("ERROR ")) + s.lines("CAUSE ")).as(s.toString()).contains("Connection refused");
  }

  @Override
  void assertThrownCreditsExhausted(Slice s, String endpoint) {
    assertThat(String.join("\n", s.lines("ERROR ")) + s.lines("CAUSE ")).as(s.toString()).contains(
        "dev.tollgate.api.CreditsExhaustedException");
  }
}
