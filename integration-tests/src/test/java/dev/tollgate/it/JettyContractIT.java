package dev.tollgate.it;

import dev.tollgate.it.apps.JettyApp;
import java.util.List;

/**
 * Jetty 12's {@code HttpClient} (12.0 and 12.1) under the {@link ClientContractIT} scenarios: blocking
 * {@code send()}, a {@code BufferingResponseListener} and an {@code InputStreamResponseListener} read
 * line by line; a gzip body Jetty decodes. A blocked call is answered through the app's own listeners.
 */
class JettyContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("jetty121", "jetty120");
  }

  @Override
  Class<?> app() {
    return JettyApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("send", "async");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("stream");
  }

  /** Jetty asks for gzip itself and decodes it before the app's listeners (and the tap) see the content. */
  @Override
  List<String> gzipModes(String variant) {
    return List.of("send");
  }

  /** Both listener paths and blocking {@code send()} fail the same way on either version: checked on 12.1. */
  @Override
  List<String> exceptionModes(String variant) {
    return variant.equals("jetty121") ? List.of("send", "async", "stream") : List.of();
  }

  /** The byte-for-byte comparison with a run without the agent: on 12.1. */
  @Override
  List<String> plainModes(String variant) {
    return variant.equals("jetty121") ? List.of("send") : List.of();
  }

  @Override
  boolean readsLines(String mode) {
    return mode.equals("stream");
  }
}
