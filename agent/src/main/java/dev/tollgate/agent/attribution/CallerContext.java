package dev.tollgate.agent.attribution;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a call's attributes need from the thread that starts it, taken on that thread: the open
 * {@code TollgateScope}s and the MDC and baggage values the sources name. An asynchronous call
 * (OkHttp {@code enqueue}) takes it when the application starts the call and hands it to the hook
 * that meters it later on another thread.
 */
final class CallerContext {
  final @Nullable Map<String, String> scope;
  final String @Nullable [] mdc;
  final String @Nullable [] baggage;

  CallerContext(@Nullable Map<String, String> scope, String @Nullable [] mdc, String @Nullable [] baggage) {
    this.scope = scope;
    this.mdc = mdc;
    this.baggage = baggage;
  }
}
