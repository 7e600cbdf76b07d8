package dev.tollgate.agent.attribution;

import java.util.Map;

/**
 * What a call's attributes need from the thread that starts it, taken on that thread: the open
 * {@code TollgateScope}s and the MDC and baggage values the sources name. An asynchronous call
 * (OkHttp {@code enqueue}) takes it when the application starts the call and hands it to the hook
 * that meters it later on another thread.
 */
final class CallerContext {
  final /* @Nullable */ Map<String, String> scope;
  final /* @Nullable */ String[] mdc;
  final /* @Nullable */ String[] baggage;

  CallerContext(/* @Nullable */ Map<String, String> scope, /* @Nullable */ String[] mdc, /* @Nullable */ String[] baggage) {
    this.scope = scope;
    this.mdc = mdc;
    this.baggage = baggage;
  }
}
