package dev.tollgate.agent.instrument.aws;

import dev.tollgate.agent.bootstrap.AwsBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the end of the AWS SDK v2's own HTTP stages' constructors, which the SDK builds for every
 * call: the stage's client (whatever transport: Apache 5 or 4, UrlConnection, CRT, Netty) is replaced
 * by the same client behind the AWS support's metering ({@link AwsBridge}), so every transport is
 * covered by one hook and Tollgate sees the signed request before any transport does. The field is
 * final; the write is legal because it happens in the constructor.
 */
public final class AwsStageAdvice {
  private AwsStageAdvice() {}

  /** {@code MakeHttpRequestStage(HttpClientDependencies)}. */
  public static final class Sync {
    private Sync() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Origin Class<?> stage,
        @Advice.FieldValue(value = "sdkHttpClient", readOnly = false, typing = Assigner.Typing.DYNAMIC) Object client) {
      try {
        AwsBridge aws = Hooks.AWS.forLibrary(stage);
        if (client != null && aws.meters()) {
          client = aws.wrapSync(client);
        }
      } catch (Throwable t) {
        Hooks.failed("aws-sdk-sync", t);
      }
    }
  }

  /** {@code MakeAsyncHttpRequestStage(…)}: built on the thread that starts the SDK call, where its attribution is taken. */
  public static final class Async {
    private Async() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Origin Class<?> stage,
        @Advice.FieldValue(value = "sdkAsyncHttpClient", readOnly = false, typing = Assigner.Typing.DYNAMIC) Object client) {
      try {
        AwsBridge aws = Hooks.AWS.forLibrary(stage);
        if (client != null && aws.meters()) {
          client = aws.wrapAsync(client, Hooks.captureCaller());
        }
      } catch (Throwable t) {
        Hooks.failed("aws-sdk-async", t);
      }
    }
  }
}
