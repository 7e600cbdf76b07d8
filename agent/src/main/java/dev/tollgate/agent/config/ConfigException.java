package dev.tollgate.agent.config;

import org.jspecify.annotations.Nullable;

/** An invalid configuration value; the message names the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final @Nullable String key;
  private final @Nullable String value;
  private final @Nullable String allowed;

  ConfigException(String key, @Nullable String value, @Nullable String allowed) {
    super("invalid configuration " + key + "=" + value + ": " + allowed);
    this.key = key;
    this.value = value;
    this.allowed = allowed;
  }

  ConfigException(String message) {
    super(message);
    this.key = null;
    this.value = null;
    this.allowed = null;
  }

  /**
   * The message with where the invalid value was set ({@code system property}, {@code agent argument},
   * {@code environment}, {@code config file}), as the warning of an unknown key says it: a value
   * nobody remembers setting is found where it is.
   */
  public String describe(ConfigSource source) {
    String origin = key == null ? "default" : source.origin(key);
    return "default".equals(origin) ? String.valueOf(getMessage()) : "invalid configuration " + key + "=" + value + " (" + origin + "): "
        + allowed;
  }

  /** The key whose value is invalid, or null when the problem is not one key's (a malformed agent argument). */
  public @Nullable String key() {
    return key;
  }
}
