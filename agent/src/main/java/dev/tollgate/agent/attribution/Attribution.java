package dev.tollgate.agent.attribution;

import dev.tollgate.agent.usage.BodyPointers;
import dev.tollgate.api.internal.ScopeAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Computes a call's {@link Attributes} once, when it starts: the open scopes' values, then for each
 * configured attribute the first of its sources that yields a value. With nothing configured and
 * no scope open it allocates nothing.
 */
public final class Attribution {
  private final AttributeRules rules;

  public Attribution(AttributeRules rules) {
    this.rules = rules;
  }

  /** The request headers to read for {@link #resolve}, each once; empty when none is configured. */
  public String[] headers() {
    return rules.headers;
  }

  /** The body pointers to pick out in the request's scan. */
  public BodyPointers bodyPointers() {
    return rules.pointers;
  }

  /**
   * What the calling thread holds for the call's attributes; call it on the thread that starts the
   * call. Null when there is nothing to hold.
   */
  public @Nullable Object capture() {
    Map<String, String> scope = ScopeAttributes.current();
    String[] mdc = rules.mdcKeys.length == 0 ? null : ContextReaders.mdc(rules.mdcKeys);
    String[] baggage = rules.baggageKeys.length == 0 ? null : ContextReaders.baggage(rules.baggageKeys);
    return scope == null && mdc == null && baggage == null ? null : new CallerContext(scope, mdc, baggage);
  }

  /**
   * The call's attributes.
   *
   * @param captured what {@link #capture} returned on the calling thread, or null
   * @param headers the values of {@link #headers()}, same index; null when not read
   * @param body the values of {@link #bodyPointers()}, same index; null when not read
   */
  public Attributes resolve(@Nullable Object captured, String @Nullable [] headers, String @Nullable [] body) {
    CallerContext c = (CallerContext) captured;
    if (rules.names.length == 0 && (c == null || c.scope == null)) {
      return Attributes.EMPTY;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (int n = 0; n < rules.names.length; n++) {
      for (AttributeRules.Source s : rules.sources[n]) {
        String v = Attributes.clip(value(s, c, headers, body));
        if (v != null) {
          result.put(rules.names[n], v);
          break;
        }
      }
    }
    if (c != null && c.scope != null) {
      for (Map.Entry<String, String> e : c.scope.entrySet()) {
        String v = Attributes.clip(e.getValue());
        if (v != null) {
          result.put(e.getKey(), v); // a scope's value beats a configured source
        }
      }
    }
    return Attributes.owning(result);
  }

  private static @Nullable String value(AttributeRules.Source s, @Nullable CallerContext c, String @Nullable [] headers,
      String @Nullable [] body) {
    switch (s.kind) {
      case VALUE:
        return s.text;
      case HEADER:
        return headers == null ? null : headers[s.index];
      case BODY:
        return body == null ? null : body[s.index];
      case MDC:
        return c == null || c.mdc == null ? null : c.mdc[s.index];
      case BAGGAGE:
        return c == null || c.baggage == null ? null : c.baggage[s.index];
      default:
        return null;
    }
  }
}
