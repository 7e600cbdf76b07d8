package dev.tollgate.agent.instrument.spring.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpResponse;

/**
 * RestClient's way out through Reactor Netty ({@code ReactorClientHttpRequest.executeInternal}):
 * the body is written once into memory for the estimate and replayed to the network; the response
 * body is tapped as the application reads it.
 */
public final class BlockingMetering {
  private BlockingMetering() {}

  /** Writes {@code body} into memory; the returned body replays it (or the failure writing it met). */
  public static CapturedBody capture(StreamingHttpOutputMessage.Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      body.writeTo(out);
      return new CapturedBody(out.toByteArray(), null);
    } catch (IOException | RuntimeException e) {
      return new CapturedBody(null, e);
    }
  }

  public static ClientHttpResponse tap(ClientHttpResponse response, CallHandle handle) throws IOException {
    LazyBody body = new LazyBody(response);
    HttpHeaders headers = response.getHeaders();
    InputStream tapped = handle.onResponse(new ResponseInfo(response.getStatusCode().value(), headers.getFirst("Content-Type"),
        headers.getFirst("Content-Encoding")), body);
    return tapped == null ? response : new TappedResponse(response, tapped);
  }

  public static ClientHttpResponse blocked(String body) {
    return new BlockedResponse(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The headers of a synthetic 402 with a JSON body of {@code length} bytes. */
  static HttpHeaders blockedHeaders(int length) {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
    headers.set("Tollgate-Blocked", "true");
    headers.setContentLength(length);
    return headers;
  }

  /** A request body held in memory. */
  public static final class CapturedBody implements StreamingHttpOutputMessage.Body {
    private final byte[] bytes;
    private final Exception failure;

    CapturedBody(byte[] bytes, Exception failure) {
      this.bytes = bytes;
      this.failure = failure;
    }

    /** The bytes, or null when writing the body failed (the failure is replayed to the client). */
    public byte[] bytes() {
      return bytes;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      if (failure instanceof IOException) {
        throw (IOException) failure;
      }
      if (failure != null) {
        throw (RuntimeException) failure;
      }
      out.write(bytes);
    }

    @Override
    public boolean repeatable() {
      return failure == null;
    }
  }

  /** Opens the response's body on first read, so tapping it does not make the client fetch it early. */
  static final class LazyBody extends InputStream {
    private final ClientHttpResponse response;
    private InputStream in;

    LazyBody(ClientHttpResponse response) {
      this.response = response;
    }

    private InputStream in() throws IOException {
      if (in == null) {
        in = response.getBody();
      }
      return in;
    }

    @Override
    public int read() throws IOException {
      return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in().read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return in == null ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }

  /** The client's response with the tapped body in place of its own. */
  static final class TappedResponse implements ClientHttpResponse {
    private final ClientHttpResponse delegate;
    private final InputStream body;

    TappedResponse(ClientHttpResponse delegate, InputStream body) {
      this.delegate = delegate;
      this.body = body;
    }

    @Override
    public HttpStatusCode getStatusCode() throws IOException {
      return delegate.getStatusCode();
    }

    @Override
    public String getStatusText() throws IOException {
      return delegate.getStatusText();
    }

    @Override
    public HttpHeaders getHeaders() {
      return delegate.getHeaders();
    }

    @Override
    public InputStream getBody() {
      return body;
    }

    @Override
    public void close() {
      try {
        body.close(); // settles a body the application did not finish
      } catch (IOException ignored) {
        // the delegate's close below reports what matters
      }
      delegate.close();
    }
  }

  /** The synthetic 402 a blocked RestClient call receives. */
  static final class BlockedResponse implements ClientHttpResponse {
    private final byte[] body;
    private final HttpHeaders headers;

    BlockedResponse(byte[] body) {
      this.body = body;
      this.headers = blockedHeaders(body.length);
    }

    @Override
    public HttpStatusCode getStatusCode() {
      return HttpStatusCode.valueOf(402);
    }

    @Override
    public String getStatusText() {
      return "Payment Required";
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public InputStream getBody() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public void close() {}
  }
}
