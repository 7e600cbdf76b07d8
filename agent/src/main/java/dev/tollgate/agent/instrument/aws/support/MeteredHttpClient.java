package dev.tollgate.agent.instrument.aws.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A sync stage's client, metered: a metered call is decided before the transport is asked to prepare
 * it (blocked: a synthetic 402 the SDK turns into its service exception, and no transport call at
 * all), and its response body is tapped as the SDK reads it. While the transport runs, the client's
 * own hook (Apache 5, HttpURLConnection) lets the call through: it is metered once, here.
 */
final class MeteredHttpClient implements SdkHttpClient {
  private final SdkHttpClient delegate;

  MeteredHttpClient(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    CallHandle handle;
    try {
      Object operation = AwsCalls.classify(request.httpRequest());
      if (operation == null) {
        return delegate.prepareRequest(request);
      }
      handle = AwsCalls.begin(operation, request.httpRequest(), request.contentStreamProvider().orElse(null), -1, null);
    } catch (Throwable t) {
      Hooks.failed("aws-sdk-sync-begin", t);
      return delegate.prepareRequest(request);
    }
    if (handle.isBlocked()) {
      return new Blocked(handle);
    }
    Hooks.enterOuterCall();
    try {
      return new Metered(delegate.prepareRequest(request), handle);
    } catch (RuntimeException | Error e) {
      handle.onFailure(e);
      throw e;
    } finally {
      Hooks.exitOuterCall();
    }
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** A call that may leave: the transport's request, its response tapped. */
  private static final class Metered implements ExecutableHttpRequest {
    private final ExecutableHttpRequest delegate;
    private final CallHandle handle;

    Metered(ExecutableHttpRequest delegate, CallHandle handle) {
      this.delegate = delegate;
      this.handle = handle;
    }

    @Override
    public HttpExecuteResponse call() throws IOException {
      HttpExecuteResponse response;
      Hooks.enterOuterCall();
      try {
        response = delegate.call();
      } catch (IOException | RuntimeException | Error e) {
        handle.onFailure(e);
        throw e;
      } finally {
        Hooks.exitOuterCall();
      }
      return tapped(response);
    }

    private HttpExecuteResponse tapped(HttpExecuteResponse response) {
      try {
        SdkHttpResponse head = response.httpResponse();
        AwsCalls.usageHeaders(handle, head);
        AbortableInputStream body = response.responseBody().orElse(null);
        InputStream tapped = handle.onResponse(AwsCalls.info(head), body);
        return tapped == null ? response
            : HttpExecuteResponse.builder().response(head).responseBody(AbortableInputStream.create(tapped, body)).build();
      } catch (Throwable t) {
        Hooks.failed("aws-sdk-sync-response", t);
        return response; // the response stays the one the transport produced
      }
    }

    @Override
    public void abort() {
      delegate.abort();
    }
  }

  /** A blocked call: nothing is prepared or sent; the SDK reads a 402, or the exception is thrown in exception mode. */
  private static final class Blocked implements ExecutableHttpRequest {
    private final CallHandle handle;

    Blocked(CallHandle handle) {
      this.handle = handle;
    }

    @Override
    public HttpExecuteResponse call() throws IOException {
      IOException exception = handle.blockedException();
      if (exception != null) {
        throw exception;
      }
      try {
        return HttpExecuteResponse.builder().response(AwsCalls.blockedResponse())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(AwsCalls.blockedBody(handle)))).build();
      } catch (RuntimeException | LinkageError e) {
        throw handle.blockedFailure(e);
      }
    }

    @Override
    public void abort() {}
  }
}
