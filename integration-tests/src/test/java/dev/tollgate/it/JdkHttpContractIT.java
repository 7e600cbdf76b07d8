package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.JdkHttpApp;
import java.util.List;

/** {@code java.net.http.HttpClient} under the {@link ClientContractIT} scenarios: ofString (send, sendAsync), ofInputStream, ofLines. */
class JdkHttpContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("jdk");
  }

  @Override
  Class<?> app() {
    return JdkHttpApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("send", "async");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("inputstream", "lines");
  }

  /** The JDK client never decodes: the app asks for gzip and inflates the body itself. */
  @Override
  List<String> gzipModes(String variant) {
    return List.of("gzip");
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("inputstream") || mode.equals("lines");
  }

  /** The JDK client wraps what the agent throws in an IOException; the app prints its cause too. */
  @Override
  void assertThrownCreditsExhausted(Slice s, String endpoint) {
    assertThat(String.join(" ", s.lines("ERROR ")) + s.lines("CAUSE ")).as(s.toString()).contains(
        "dev.tollgate.api.CreditsExhaustedException");
  }
}
