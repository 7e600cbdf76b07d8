package dev.tollgate.it;

import dev.tollgate.it.apps.OkHttpApp;
import java.util.List;

/** OkHttp 3.14, 4.12 and 5.x under the {@link ClientContractIT} scenarios: execute, enqueue, and both read as streams. */
class OkHttpContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("okhttp3", "okhttp4", "okhttp5");
  }

  @Override
  Class<?> app() {
    return OkHttpApp.class;
  }

  @Override
  List<String> jsonModes(String variant) {
    return List.of("sync", "async");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("stream", "async-stream");
  }

  /** OkHttp asks for gzip itself and hands the app the decoded body. */
  @Override
  List<String> gzipModes(String variant) {
    return List.of("sync", "async");
  }

  @Override
  boolean readsLines(String mode) {
    return mode.endsWith("stream");
  }
}
