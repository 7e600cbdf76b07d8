package dev.tollgate.benchmarks.e2e;

import java.util.Locale;

/** What the workload calls: a metered or a non-metered URL on the loopback server, a JSON or a streamed answer. */
enum Scenario {
  METERED_JSON("/v1/chat/completions", true, false),
  PLAIN_JSON("/plain/v1/chat/completions", false, false),
  METERED_STREAM("/v1/chat/completions", true, true),
  PLAIN_STREAM("/plain/v1/chat/completions", false, true);

  /** The endpoint Tollgate children get: only paths under it are metered. */
  static final String METERED_PREFIX = "/v1";

  final String path;
  final boolean metered;
  final boolean stream;

  Scenario(String path, boolean metered, boolean stream) {
    this.path = path;
    this.metered = metered;
    this.stream = stream;
  }

  static Scenario named(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  String label() {
    return (metered ? "metered" : "non-metered") + (stream ? " SSE stream" : " 1 KB JSON");
  }
}
