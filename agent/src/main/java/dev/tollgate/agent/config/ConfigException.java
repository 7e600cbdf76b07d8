package dev.tollgate.agent.config;

/** An invalid configuration value; the message names the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigException(String key, String value, String allowed) {
    super("invalid configuration " + key + "=" + value + ": " + allowed);
  }

  ConfigException(String message) {
    super(message);
  }
}
