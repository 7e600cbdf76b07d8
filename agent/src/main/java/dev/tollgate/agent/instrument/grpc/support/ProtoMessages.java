package dev.tollgate.agent.instrument.grpc.support;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * What metering reads of a protocol-buffers message, through the public methods every generated
 * message has ({@code getSerializedSize}, {@code writeTo(OutputStream)}) and the getters of the fields
 * it needs ({@code getModel}, {@code getGenerationConfig} and its {@code getMaxOutputTokens}; for raw
 * predictions {@code getEndpoint}, {@code getHttpBody}, {@code getContentType}, {@code getData}, and a
 * {@code ByteString}'s {@code size}, {@code toByteArray} and {@code writeTo}), looked up once per class.
 * No protobuf runtime is named, so a message of any copy of it (relocated too) works, and an object
 * that is no message reads as unknown.
 */
final class ProtoMessages {
  private static final ClassValue<ProtoMessages> BY_CLASS = new ClassValue<ProtoMessages>() {
    @Override
    protected ProtoMessages computeValue(Class<?> type) {
      return new ProtoMessages(type);
    }
  };

  private final @Nullable Method serializedSize;
  private final @Nullable Method writeTo;
  private final @Nullable Method model;
  private final @Nullable Method generationConfig;
  private final @Nullable Method maxOutputTokens;
  private final @Nullable Method endpoint;
  private final @Nullable Method httpBody;
  private final @Nullable Method contentType;
  private final @Nullable Method data;
  private final @Nullable Method size;
  private final @Nullable Method toByteArray;

  private ProtoMessages(Class<?> type) {
    serializedSize = method(type, "getSerializedSize");
    writeTo = method(type, "writeTo", OutputStream.class);
    model = method(type, "getModel");
    generationConfig = method(type, "getGenerationConfig");
    maxOutputTokens = method(type, "getMaxOutputTokens");
    endpoint = method(type, "getEndpoint");
    httpBody = method(type, "getHttpBody");
    contentType = method(type, "getContentType");
    data = method(type, "getData");
    size = method(type, "size");
    toByteArray = method(type, "toByteArray");
  }

  /** The method as the nearest public class declares it (a {@code ByteString}'s implementations are not public). */
  private static @Nullable Method method(Class<?> type, String name, Class<?>... parameters) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (Modifier.isPublic(c.getModifiers())) {
        try {
          Method m = c.getMethod(name, parameters);
          return Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
        } catch (NoSuchMethodException | SecurityException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static @Nullable Object get(@Nullable Method m, Object target) throws ReflectiveOperationException {
    return m == null ? null : m.invoke(target);
  }

  private static ProtoMessages of(Object message) {
    return BY_CLASS.get(message.getClass());
  }

  /** The message's size in bytes on the wire, or -1 when it is no protobuf message. */
  static long size(Object message) throws ReflectiveOperationException {
    Object size = get(of(message).serializedSize, message);
    return size instanceof Integer ? (Integer) size : -1;
  }

  /** Writes the message's wire bytes to {@code out}, in the runtime's own small chunks; false when it is no protobuf message. */
  static boolean writeTo(Object message, OutputStream out) throws ReflectiveOperationException {
    Method m = of(message).writeTo;
    if (m == null) {
      return false;
    }
    m.invoke(message, out);
    return true;
  }

  /** A {@code GenerateContentRequest}'s {@code model} ({@code projects/p/locations/l/publishers/google/models/gemini-2.0-flash}), or "". */
  static String model(Object request) throws ReflectiveOperationException {
    return string(get(of(request).model, request));
  }

  /**
   * A {@code GenerateContentRequest}'s {@code generation_config.max_output_tokens}, or -1 when it sets
   * none (an unset field reads 0, as protobuf's getters answer).
   */
  static long maxOutputTokens(Object request) throws ReflectiveOperationException {
    Object config = get(of(request).generationConfig, request);
    Object max = config == null ? null : get(of(config).maxOutputTokens, config);
    return max instanceof Integer && (Integer) max > 0 ? (Integer) max : -1;
  }

  /** A {@code RawPredictRequest}'s {@code endpoint} ({@code projects/p/locations/l/publishers/anthropic/models/claude-…}), or "". */
  static String endpoint(Object request) throws ReflectiveOperationException {
    return string(get(of(request).endpoint, request));
  }

  /** An {@code HttpBody}'s {@code content_type}, or null. */
  static @Nullable String contentType(Object httpBody) throws ReflectiveOperationException {
    Object type = get(of(httpBody).contentType, httpBody);
    return type instanceof String ? (String) type : null;
  }

  /**
   * The bytes of a {@code RawPredictRequest}'s {@code http_body.data} (the provider's own JSON), when
   * they are at most {@code limit} bytes; else null.
   */
  static byte @Nullable [] rawBody(Object request, int limit) throws ReflectiveOperationException {
    Object body = get(of(request).httpBody, request);
    Object bytes = body == null ? null : get(of(body).data, body);
    if (bytes == null) {
      return null;
    }
    Object size = get(of(bytes).size, bytes);
    if (!(size instanceof Integer) || (Integer) size > limit) {
      return null;
    }
    Object copy = get(of(bytes).toByteArray, bytes);
    return copy instanceof byte[] ? (byte[]) copy : null;
  }

  /** Writes an {@code HttpBody}'s {@code data} to {@code out}; false when it has none. */
  static boolean writeData(Object httpBody, OutputStream out) throws ReflectiveOperationException {
    Object bytes = get(of(httpBody).data, httpBody);
    return bytes != null && writeTo(bytes, out);
  }

  private static String string(@Nullable Object value) {
    return value instanceof String ? (String) value : "";
  }
}
