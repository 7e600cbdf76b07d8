package dev.tollgate.agent.config;

import org.jspecify.annotations.Nullable;

/** An invalid configuration value; the message names the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final @Nullable String key;

  ConfigException(String key, @Nullable String value, @Nullable String allowed) {
    super("invalid configuration " + key + "=" + value + ": " + allowed);
    this.key = key;
  }

  ConfigException(String message) {
    super(message);
    this.key = null;
  }

  /** The key whose value is invalid, or null when the problem is not one key's (a malformed agent argument). */
  public @Nullable String key() {
    return key;
  }
}
