package dev.tollgate.agent.instrument.vertx;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.TypeAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Vert.x core's {@code HttpClient}, 4.5 and 5.x (so WebClient and the Quarkus REST client): the
 * request is metered at its first write ({@link VertxWriteAdvice}), its response tapped in {@code
 * HttpClientResponseImpl} ({@link VertxResponseAdvice}); {@code VertxCalls} carries a call from one
 * to the other. No support: the advice uses Vert.x's own API. Vert.x connects from its event loop,
 * whose stack holds only Netty frames, before the request's body exists: its threads count as
 * connecting for it.
 */
public final class VertxInstrumentation {
  private static final String WRITE = "dev.tollgate.agent.instrument.vertx.VertxWriteAdvice";
  private static final String RESPONSE = "dev.tollgate.agent.instrument.vertx.VertxResponseAdvice$";

  /** {@code tollgate.instrumentation.vertx-http-client.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("vertx-http-client",
      new TypeAdvice("io.vertx.core.http.impl.HttpClientRequestImpl") {
        @Override
        protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
          // A completion handler in 4.x (four arguments), a returned Future in 5.x (three).
          return advice
              .advice(named("doWrite").and(takesArguments(4)), WRITE, WRITE + "$Exit4")
              .advice(named("doWrite").and(takesArguments(3)), WRITE, WRITE + "$Exit5");
        }
      },
      TypeAdvice.onMethod("fail", 1, RESPONSE + "RequestFailure", "io.vertx.core.http.impl.HttpClientRequestBase"),
      new TypeAdvice("io.vertx.core.http.impl.HttpClientResponseImpl") {
        @Override
        protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
          return advice
              .advice(isConstructor().and(takesArguments(6)), RESPONSE + "Start")
              .advice(named("handleChunk").and(takesArguments(1)), RESPONSE + "Chunk")
              .advice(named("handleEnd").and(takesArguments(1)), RESPONSE + "End")
              .advice(named("handleException").and(takesArguments(1)), RESPONSE + "Failure");
        }
      })
      .connectingOnThreadsOf("io.vertx.core.impl.VertxThread")
      .usingLibrary("io.vertx.core.", "io.netty.buffer.");

  private VertxInstrumentation() {}
}
