package dev.tollgate.agent.attribution;

import dev.tollgate.agent.log.Log;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * Reads the calling thread's logging context (SLF4J {@code MDC}, else Log4j 2 {@code ThreadContext})
 * and OpenTelemetry {@code Baggage}, through the classes the calling context's loader has, by method
 * handles cached on those classes. An application without them costs one cached lookup.
 */
final class ContextReaders {
  // Spelled out at run time: the agent jar relocates its own SLF4J, and with it any literal naming an org.slf4j class.
  private static final AppClass SLF4J_MDC = new AppClass(String.join(".", "org", "slf4j", "MDC"));
  private static final AppClass LOG4J_CONTEXT = new AppClass("org.apache.logging.log4j.ThreadContext");
  // Spelled out at run time too: the agent jar relocates its own OpenTelemetry (the metrics SDK), and
  // with it any literal naming an io.opentelemetry class.
  private static final String BAGGAGE = String.join(".", "io", "opentelemetry", "api", "baggage", "Baggage");
  private static final AppClass OTEL_BAGGAGE = new AppClass(BAGGAGE);
  private static final MethodType STATIC_GET = MethodType.methodType(String.class, String.class);

  /** {@code static String get(String)} of MDC or ThreadContext, or Baggage's {@code current()} and {@code getEntryValue}; none when missing. */
  private static final ClassValue<MethodHandle[]> GETTERS = new ClassValue<>() {
    @Override
    protected MethodHandle[] computeValue(Class<?> type) {
      try {
        if (type.getName().equals(BAGGAGE)) {
          return new MethodHandle[] {
              MethodHandles.publicLookup().findStatic(type, "current", MethodType.methodType(type))
                  .asType(MethodType.methodType(Object.class)),
              MethodHandles.publicLookup().findVirtual(type, "getEntryValue", STATIC_GET).asType(
                  MethodType.methodType(String.class, Object.class, String.class))};
        }
        return new MethodHandle[] {MethodHandles.publicLookup().findStatic(type, "get", STATIC_GET)};
      } catch (ReflectiveOperationException | RuntimeException e) {
        Log.once("attribution-" + type.getName(), Log.Level.WARN, "cannot read " + type.getName() + " for attribution", e);
        return new MethodHandle[0];
      }
    }
  };

  private ContextReaders() {}

  /** The logging context's value of each of {@code keys} (null where it has none); null when there is no logging context. */
  static String @Nullable [] mdc(String[] keys) {
    ClassLoader loader = AppClass.callerLoader();
    String[] values = read(SLF4J_MDC.in(loader), keys, null);
    return read(LOG4J_CONTEXT.in(loader), keys, values);
  }

  /** The current Baggage's value of each of {@code keys}; null when the application has no OpenTelemetry API. */
  static String @Nullable [] baggage(String[] keys) {
    Class<?> type = OTEL_BAGGAGE.in(AppClass.callerLoader());
    if (type == null) {
      return null;
    }
    MethodHandle[] h = GETTERS.get(type);
    if (h.length < 2) {
      return null;
    }
    try {
      Object baggage = (Object) h[0].invokeExact();
      if (baggage == null) {
        return null;
      }
      String[] values = new String[keys.length];
      for (int k = 0; k < keys.length; k++) {
        values[k] = (String) h[1].invokeExact(baggage, keys[k]);
      }
      return values;
    } catch (Throwable t) {
      Log.once("attribution-baggage", Log.Level.WARN, "reading OpenTelemetry baggage failed; calls go on without it", t);
      return null;
    }
  }

  /** Fills the gaps of {@code values} from {@code type}'s static {@code get}. */
  private static String @Nullable [] read(@Nullable Class<?> type, String[] keys, String @Nullable [] values) {
    if (type == null) {
      return values;
    }
    MethodHandle[] h = GETTERS.get(type);
    if (h.length == 0) {
      return values;
    }
    try {
      String[] v = values != null ? values : new String[keys.length];
      for (int k = 0; k < keys.length; k++) {
        if (v[k] == null) {
          v[k] = (String) h[0].invokeExact(keys[k]);
        }
      }
      return v;
    } catch (Throwable t) {
      Log.once("attribution-mdc-" + type.getName(), Log.Level.WARN, "reading " + type.getName() + " failed; calls go on without it", t);
      return values;
    }
  }
}
