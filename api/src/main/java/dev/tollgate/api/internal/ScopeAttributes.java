package dev.tollgate.api.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of the {@link dev.tollgate.api.TollgateScope}s open on each thread, which the agent
 * reads when a metered call starts there. Not for application use.
 */
public final class ScopeAttributes {
  private static final ThreadLocal<Map<String, String>> CURRENT = new ThreadLocal<>();

  private ScopeAttributes() {}

  /** The open scopes' attributes on this thread (innermost value per name), or null when none is open. */
  public static @Nullable Map<String, String> current() {
    return CURRENT.get();
  }

  /** Makes {@code attributes} (null: none) this thread's; returns what they replace. */
  public static @Nullable Map<String, String> set(@Nullable Map<String, String> attributes) {
    Map<String, String> previous = CURRENT.get();
    if (attributes == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(attributes);
    }
    return previous;
  }
}
