package dev.tollgate.agent.instrument.grpc.support;

import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * A metered call as the support knows it when {@code newCall} starts, before the channel creates it:
 * how it is named and read, and the descriptor the channel is to create it with ({@link #teeing}),
 * whose response marshaller is bound to this one call.
 */
final class Metering<ReqT, RespT> {
  private final boolean unary;
  private final boolean raw;
  private final String base;
  private final String suffix;
  private @Nullable ResponseTee<RespT> tee;

  /** See {@link MeteredClientCall#MeteredClientCall}. */
  Metering(boolean unary, boolean raw, String base, String suffix) {
    this.unary = unary;
    this.raw = raw;
    this.base = base;
    this.suffix = suffix;
  }

  /**
   * {@code method} with a {@link ResponseTee} as its response marshaller; or {@code method} itself for
   * a raw prediction (an {@code HttpBody}'s {@code data} is read from the message, which is not
   * serialized for it, after its {@code content_type}) or a response marshaller that is not grpc's
   * protobuf marshaller ({@link ResponseTee#of}).
   */
  MethodDescriptor<ReqT, RespT> teeing(MethodDescriptor<ReqT, RespT> method) {
    ResponseTee<RespT> t = raw ? null : ResponseTee.of(method.getResponseMarshaller());
    if (t == null) {
      return method;
    }
    MethodDescriptor<ReqT, RespT> teeing = method.toBuilder(method.getRequestMarshaller(), t).build();
    tee = t;
    return teeing;
  }

  /** The application's call: {@code call}, the channel's, created with {@link #teeing}'s descriptor. */
  MeteredClientCall<ReqT, RespT> wrap(ClientCall<ReqT, RespT> call) {
    return new MeteredClientCall<>(call, tee, unary, raw, base, suffix);
  }
}
