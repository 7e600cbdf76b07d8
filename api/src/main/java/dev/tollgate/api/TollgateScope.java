package dev.tollgate.api;

import dev.tollgate.api.internal.ScopeAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Attribution attributes (tenant, feature…) for every metered call <em>started</em> on this thread
 * while the scope is open, including asynchronous calls started here (OkHttp {@code enqueue}, JDK
 * {@code sendAsync}, Apache async, WebClient). Open one with {@link Tollgate#scope}; close it on the
 * thread that opened it, best with try-with-resources:
 *
 * <pre>{@code
 * try (TollgateScope s = Tollgate.scope("tenant", "acme").and("feature", "chat")) {
 *   client.newCall(request).execute();
 * }
 * }</pre>
 *
 * <p>Scopes nest: an inner scope adds to the outer one's attributes and its value for a name wins;
 * closing it restores the outer scope. A scope's value beats a configured source ({@code
 * tollgate.attribute.<name>}). Names must match {@code [a-z0-9_-]{1,32}}; values are clipped to 128
 * characters and control characters are removed. Without the agent a scope is a no-op.
 */
public final class TollgateScope implements AutoCloseable {
  static final TollgateScope NO_AGENT = new TollgateScope(null, false);

  private final @Nullable Map<String, String> outer;
  private final boolean active;
  private boolean closed;

  private TollgateScope(@Nullable Map<String, String> outer, boolean active) {
    this.outer = outer;
    this.active = active;
  }

  /** Opens a scope on this thread over the ones already open. */
  static TollgateScope open(String name, String value) {
    Map<String, String> outer = ScopeAttributes.current();
    TollgateScope scope = new TollgateScope(outer, true);
    ScopeAttributes.set(with(outer, name, value));
    return scope;
  }

  /**
   * Adds {@code name = value} to this scope (replacing this scope's or an outer scope's value for
   * that name) and returns this scope. Call it on the thread that opened the scope, before any
   * inner scope is opened.
   *
   * @throws IllegalArgumentException if {@code name} is not {@code [a-z0-9_-]{1,32}}
   * @throws NullPointerException if {@code name} or {@code value} is null
   */
  public TollgateScope and(String name, String value) {
    Tollgate.checkAttribute(name, value);
    if (active && !closed) {
      ScopeAttributes.set(with(ScopeAttributes.current(), name, value));
    }
    return this;
  }

  /** Restores the scope that was open when this one opened. Closing twice does nothing. */
  @Override
  public void close() {
    if (active && !closed) {
      closed = true;
      ScopeAttributes.set(outer);
    }
  }

  private static Map<String, String> with(@Nullable Map<String, String> outer, String name, String value) {
    Map<String, String> m = outer == null ? new LinkedHashMap<>(4) : new LinkedHashMap<>(outer);
    m.put(name, value);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    return active ? "TollgateScope" + Objects.requireNonNullElse(ScopeAttributes.current(), Map.of()) : "TollgateScope(no agent)";
  }
}
