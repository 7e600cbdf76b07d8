package dev.tollgate.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/**
 * What metering needs of a response's head, as the client hands it to the application: its status,
 * its {@code Content-Type}, and its {@code Content-Encoding} when the body the application gets is
 * still encoded (null when the client decoded it, or it never was), and the length of the body it
 * reads when the client knows it (-1 when not). The tap decodes {@code gzip} and {@code deflate}
 * itself; the application's bytes are untouched.
 */
public final class ResponseInfo {
  private final int status;
  private final @Nullable String contentType;
  private final @Nullable String contentEncoding;
  private final long contentLength;

  /** A response whose body's length the client does not tell. */
  public ResponseInfo(int status, @Nullable String contentType, @Nullable String contentEncoding) {
    this(status, contentType, contentEncoding, -1);
  }

  /**
   * A response whose body, as the application reads it (still encoded when {@code contentEncoding} says
   * so), is {@code contentLength} bytes long: the client's own view (a {@code Content-Length} it
   * enforces), -1 when it has none.
   */
  public ResponseInfo(int status, @Nullable String contentType, @Nullable String contentEncoding, long contentLength) {
    this.status = status;
    this.contentType = contentType;
    this.contentEncoding = contentEncoding;
    this.contentLength = contentLength;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The response's {@code Content-Type}, or null. */
  public @Nullable String contentType() {
    return contentType;
  }

  /** The encoding the body is still in ({@code gzip}...), or null when it is not encoded. */
  public @Nullable String contentEncoding() {
    return contentEncoding;
  }

  /** The length of the body the application reads, or -1 when the client does not know it. */
  public long contentLength() {
    return contentLength;
  }

  @Override
  public String toString() {
    return status + " " + contentType + (contentEncoding == null ? "" : " " + contentEncoding);
  }
}
