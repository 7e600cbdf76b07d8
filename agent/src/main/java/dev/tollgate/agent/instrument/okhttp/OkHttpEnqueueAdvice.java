package dev.tollgate.agent.instrument.okhttp;

import dev.tollgate.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import okhttp3.Call;
import okhttp3.Request;

/**
 * Inlined into OkHttp's {@code RealCall.enqueue}: the call will be metered on a dispatcher thread,
 * so what its attributes need from the application's thread (open scopes, MDC, baggage) is taken
 * here, for {@link OkHttpAdvice} to pick up. Only for a call that may be metered.
 */
public final class OkHttpEnqueueAdvice {
  private OkHttpEnqueueAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Call call) {
    try {
      Request request = call.request();
      if (Hooks.mayMeter(request.method(), request.url().host())) {
        Hooks.carry(call);
      }
    } catch (Throwable t) {
      Hooks.failed("okhttp-enqueue", t);
    }
  }
}
