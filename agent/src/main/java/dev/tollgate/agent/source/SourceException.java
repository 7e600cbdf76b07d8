package dev.tollgate.agent.source;

import java.io.IOException;

/**
 * A credit source could not be read. The message names the source, the URL without its query and
 * what went wrong, and never a credential: it goes to the log as is.
 */
public final class SourceException extends IOException {
  private static final long serialVersionUID = 1L;
  /** Whether trying again may help (timeouts, 429, 5xx), as opposed to a wrong key or a bad body. */
  final boolean retryable;
  /** The server's {@code Retry-After}, in milliseconds, or -1. */
  final long retryAfterMillis;

  SourceException(String message, boolean retryable, long retryAfterMillis) {
    super(message);
    this.retryable = retryable;
    this.retryAfterMillis = retryAfterMillis;
  }
}
