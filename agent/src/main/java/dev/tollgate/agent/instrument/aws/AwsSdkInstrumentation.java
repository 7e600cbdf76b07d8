package dev.tollgate.agent.instrument.aws;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;

import dev.tollgate.agent.bootstrap.AwsBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The AWS SDK for Java v2, at its own HTTP stages: every transport (Apache 5 and 4, UrlConnection,
 * Netty, CRT) at once, the request as the SDK signed it. The support ({@code aws.support}) implements
 * the SDK's HTTP client SPI, so it is placed beside the application's copy of the SDK.
 */
public final class AwsSdkInstrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.aws.";
  private static final String STAGES = "software.amazon.awssdk.core.internal.http.pipeline.stages.";
  static final LibrarySupport<AwsBridge> SUPPORT = new LibrarySupport<>(Hooks.AWS, PACKAGE + "support.AwsSupport", "AWS SDK v2");

  /** {@code tollgate.instrumentation.aws-sdk.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("aws-sdk",
      new OnConstructor(PACKAGE + "AwsStageAdvice$Sync", STAGES + "MakeHttpRequestStage"),
      new OnConstructor(PACKAGE + "AwsStageAdvice$Async", STAGES + "MakeAsyncHttpRequestStage"))
      // Sync transports connect under the support's client on the stack (the agent's own package);
      // Netty connects from its event loop just after the call began, which the guard's recent-call window covers.
      .connectingFrom("software.amazon.awssdk.http.")
      .usingLibrary("software.amazon.awssdk.", "org.reactivestreams.")
      .withSupport(SUPPORT);

  private AwsSdkInstrumentation() {}

  /** Advice at the end of every constructor of the types. */
  private static final class OnConstructor extends TypeAdvice {
    private final String adviceClass;

    OnConstructor(String adviceClass, String... types) {
      super(types);
      this.adviceClass = adviceClass;
    }

    @Override
    protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
      return advice.advice(isConstructor(), adviceClass);
    }
  }
}
