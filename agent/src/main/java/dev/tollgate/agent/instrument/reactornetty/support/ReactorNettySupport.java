package dev.tollgate.agent.instrument.reactornetty.support;

import dev.tollgate.agent.bootstrap.ReactorNettyBridge;
import reactor.netty.http.client.HttpClient;

/** The {@link ReactorNettyBridge} defined beside the application's Reactor Netty: casts, then {@link ReactorNettyMetering}. */
public final class ReactorNettySupport extends ReactorNettyBridge {

  @Override
  public Object connect(Object client, Object operation, String url) {
    return ReactorNettyMetering.connect((HttpClient) client, operation, url);
  }
}
