package dev.tollgate.agent.instrument.grpc;

import dev.tollgate.agent.bootstrap.GrpcBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the end of {@code ManagedChannelImpl$RealChannel.newCall(method, callOptions)}, which
 * creates every call of a grpc-java channel: a call of a method that may be metered (Vertex AI's) is
 * replaced by the support's wrapper of it. Every other call is left as it was after one string
 * comparison.
 */
public final class GrpcNewCallAdvice {
  private GrpcNewCallAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.This Channel channel,
      @Advice.Argument(0) MethodDescriptor<?, ?> method,
      @Advice.Argument(1) CallOptions options,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object call) {
    try {
      if (call == null || !GrpcBridge.mayMeter(method.getFullMethodName())) {
        return;
      }
      GrpcBridge grpc = GrpcBridge.SUPPORT.forLibrary(channel.getClass());
      if (grpc.meters()) {
        String authority = options.getAuthority();
        call = grpc.wrap(call, method, authority != null ? authority : channel.authority());
      }
    } catch (Throwable t) {
      Hooks.failed("grpc-new-call", t);
    }
  }
}
