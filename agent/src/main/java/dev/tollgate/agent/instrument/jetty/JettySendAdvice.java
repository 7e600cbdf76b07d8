package dev.tollgate.agent.instrument.jetty;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.JettyBridge;
import net.bytebuddy.asm.Advice;
import org.eclipse.jetty.client.Request;

/**
 * Inlined into Jetty 12's {@code HttpRequest.send(Response.CompleteListener)}, where every send
 * begins ({@code send()}, {@code send(listener)}, the response listeners that read as a stream):
 * before the request is queued on its destination, so before any connection. A blocked call skips
 * the method; the support has answered it through the application's listeners.
 */
public final class JettySendAdvice {
  private JettySendAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static boolean enter(@Advice.This Request request, @Advice.Argument(0) Object listener) {
    try {
      if (!Hooks.mayMeter(request.getMethod(), request.getHost())) {
        return false;
      }
      JettyBridge jetty = JettyBridge.SUPPORT.forLibrary(request.getClass());
      return jetty.meters() && jetty.send(request, listener);
    } catch (Throwable t) {
      Hooks.failed("jetty-send", t);
      return false;
    }
  }
}
