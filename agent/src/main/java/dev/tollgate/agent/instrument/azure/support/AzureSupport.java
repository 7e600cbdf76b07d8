package dev.tollgate.agent.instrument.azure.support;

import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import dev.tollgate.agent.bootstrap.AzureBridge;
import dev.tollgate.agent.bootstrap.BlockedCallException;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;

/** The {@link AzureBridge} defined beside the application's azure-core. */
public final class AzureSupport extends AzureBridge {

  @Override
  @SuppressWarnings("unchecked")
  public Object answerBlocks(Object response, Object request) {
    return ((Mono<HttpResponse>) response).onErrorResume(BlockedCallException.class,
        e -> Mono.just(new BlockedAzureResponse((HttpRequest) request, e.body().getBytes(StandardCharsets.UTF_8))));
  }
}
