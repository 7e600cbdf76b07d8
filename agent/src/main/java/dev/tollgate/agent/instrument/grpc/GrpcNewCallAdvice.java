package dev.tollgate.agent.instrument.grpc;

import dev.tollgate.agent.bootstrap.GrpcBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.jspecify.annotations.Nullable;

/**
 * Inlined into {@code ManagedChannelImpl$RealChannel.newCall(method, callOptions)}, which creates
 * every call of a grpc-java channel. A call of a method that may be metered (Vertex AI's) is created
 * with the support's descriptor ({@link GrpcBridge#method}: the same method, its responses' wire
 * bytes handed to the call's tap as grpc parses them) and is replaced by the support's wrapper of it.
 * Every other call is left as it was after one string comparison.
 */
public final class GrpcNewCallAdvice {
  private GrpcNewCallAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static @Nullable Object enter(
      @Advice.This Channel channel,
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) MethodDescriptor<?, ?> method,
      @Advice.Argument(1) CallOptions options,
      @Advice.Local("tollgateGrpc") GrpcBridge grpc) {
    try {
      if (!GrpcBridge.mayMeter(method.getFullMethodName())) {
        return null;
      }
      grpc = GrpcBridge.SUPPORT.forLibrary(channel.getClass());
      if (!grpc.meters()) {
        return null;
      }
      String authority = options.getAuthority();
      Object metering = grpc.meter(method, authority != null ? authority : channel.authority());
      if (metering != null) {
        method = (MethodDescriptor<?, ?>) grpc.method(metering, method);
      }
      return metering;
    } catch (Throwable t) {
      Hooks.failed("grpc-new-call", t);
      return null; // created with the application's descriptor, unmetered
    }
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object metering,
      @Advice.Local("tollgateGrpc") GrpcBridge grpc,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object call) {
    if (metering == null || call == null) {
      return;
    }
    try {
      call = grpc.wrap(call, metering);
    } catch (Throwable t) {
      Hooks.failed("grpc-new-call", t);
    }
  }
}
