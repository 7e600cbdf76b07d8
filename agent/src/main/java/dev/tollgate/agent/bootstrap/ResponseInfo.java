package dev.tollgate.agent.bootstrap;

/**
 * What metering needs of a response's head, as the client hands it to the application: its status,
 * its {@code Content-Type}, and its {@code Content-Encoding} when the body the application gets is
 * still encoded (null when the client decoded it, or it never was). The tap decodes {@code gzip} and
 * {@code deflate} itself; the application's bytes are untouched.
 */
public final class ResponseInfo {
  private final int status;
  private final /* @Nullable */ String contentType;
  private final /* @Nullable */ String contentEncoding;

  public ResponseInfo(int status, /* @Nullable */ String contentType, /* @Nullable */ String contentEncoding) {
    this.status = status;
    this.contentType = contentType;
    this.contentEncoding = contentEncoding;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The response's {@code Content-Type}, or null. */
  public /* @Nullable */ String contentType() {
    return contentType;
  }

  /** The encoding the body is still in ({@code gzip}...), or null when it is not encoded. */
  public /* @Nullable */ String contentEncoding() {
    return contentEncoding;
  }

  @Override
  public String toString() {
    return status + " " + contentType + (contentEncoding == null ? "" : " " + contentEncoding);
  }
}
