package dev.tollgate.agent.metrics.otel;

import dev.tollgate.agent.metrics.CallKind;
import dev.tollgate.agent.metrics.GenAi;
import dev.tollgate.agent.metrics.Tally;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of one kind of call (endpoint, operation, models, status), built once and reused
 * by every call of that kind, so recording allocates nothing.
 */
final class Series {
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  final Attributes call;
  final Attributes input;
  final Attributes output;
  /** Cost and calls when no record attribute labels them (else looked up per call). */
  final @Nullable Tally tally;

  Series(CallKind k, @Nullable Tally tally) {
    AttributesBuilder b = Attributes.builder()
        .put(OPERATION, GenAi.operation(k.operation()))
        .put(PROVIDER, GenAi.provider(k.provider()))
        .put(SERVER_ADDRESS, GenAi.serverAddress(k.endpoint()))
        .put(SERVER_PORT, (long) GenAi.serverPort(k.endpoint()));
    if (k.requestedModel() != null) {
      b.put(REQUEST_MODEL, k.requestedModel());
    }
    if (!k.model().equals("unknown")) {
      b.put(RESPONSE_MODEL, k.model());
    }
    String errorType = k.errorType();
    Attributes base = b.build();
    this.call = errorType == null ? base : base.toBuilder().put(ERROR_TYPE, errorType).build();
    this.input = base.toBuilder().put(TOKEN_TYPE, "input").build();
    this.output = base.toBuilder().put(TOKEN_TYPE, "output").build();
    this.tally = tally;
  }
}
