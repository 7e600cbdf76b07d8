package dev.tollgate.agent.instrument.jdkhttp;

import dev.tollgate.agent.bootstrap.JdkHttpBridge;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the JDK's {@code ResponseSubscribers.TrustedSubscriber.needsExecutor(BodySubscriber)},
 * which tells the client whether a subscriber's {@code getBody} may run on the thread at hand or must
 * be handed to the client's executor. The JDK trusts its own subscribers ({@code ofString}, {@code
 * ofByteArray}, …) and no others, so the agent's tap around {@code ofString} would cost every metered
 * response a hand-off to another thread. The tap's {@code getBody} is the application's own, so the
 * client judges the application's subscriber instead: the JDK's own wrappers around a subscriber do
 * the same. Until a call is metered no subscriber is a tap, and a response costs one volatile read.
 */
public final class JdkTrustAdvice {
  private JdkTrustAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(value = 0, readOnly = false) HttpResponse.BodySubscriber<?> subscriber) {
    if (JdkHttpBridge.anyWrapped()) {
      subscriber = (HttpResponse.BodySubscriber<?>) JdkHttpBridge.SUPPORT.forLibrary(HttpClient.class).trustedAs(subscriber);
    }
  }
}
