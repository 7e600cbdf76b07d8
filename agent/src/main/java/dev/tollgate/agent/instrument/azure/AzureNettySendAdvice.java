package dev.tollgate.agent.instrument.azure;

import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import dev.tollgate.agent.bootstrap.AzureBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import reactor.core.publisher.Mono;

/**
 * Inlined into azure-core's {@code NettyAsyncHttpClient.send(HttpRequest, Context)} (its
 * {@code sendSync} goes through it too). The call itself is metered underneath, by the Reactor
 * Netty support; here a blocked one is answered as the synthetic 402 the SDK turns into its own
 * {@code HttpResponseException}, and that its retry policy does not retry.
 */
public final class AzureNettySendAdvice {
  private AzureNettySendAdvice() {}

  @SuppressWarnings("unchecked")
  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Argument(0) HttpRequest request,
      @Advice.Return(readOnly = false) Mono<HttpResponse> response) {
    try {
      if (response == null || Hooks.classify(request.getHttpMethod().name(), request.getUrl().toString()) == null) {
        return;
      }
      response = (Mono<HttpResponse>) AzureBridge.SUPPORT.forLibrary(HttpRequest.class).answerBlocks(response, request);
    } catch (Throwable t) {
      Hooks.failed("azure-netty-exit", t);
    }
  }
}
