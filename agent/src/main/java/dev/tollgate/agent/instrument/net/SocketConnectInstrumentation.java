package dev.tollgate.agent.instrument.net;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.TypeAdvice;
import java.net.SocketAddress;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Not a client: where sockets connect, for {@code tollgate.unmetered-traffic}, which switches it
 * (off: its name is in the disabled set). The JDK's socket classes are always loaded before the
 * agent starts, so it is the one instrumentation that retransforms at start-up.
 */
public final class SocketConnectInstrumentation {
  /** The name under which the check is left out of {@code Instrumentations.install}'s {@code disabled} set. */
  public static final String NAME = "unmetered-traffic";
  private static final String ADVICE = "dev.tollgate.agent.instrument.net.SocketConnectAdvice";

  /** The socket-connect check. */
  public static final InstrumentationModule MODULE = InstrumentationModule.check(NAME,
      new TypeAdvice("java.net.Socket") {
        @Override
        protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
          return advice.advice(named("connect").and(takesArguments(SocketAddress.class, int.class)), ADVICE);
        }
      },
      new TypeAdvice("sun.nio.ch.SocketChannelImpl") {
        @Override
        protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
          return advice.advice(named("connect").and(takesArguments(SocketAddress.class)), ADVICE);
        }
      });

  private SocketConnectInstrumentation() {}
}
