package dev.tollgate.agent.instrument.jetty.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.nio.ByteBuffer;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A metered call's listener on its own request: headers start the tap, each chunk of content is
 * fed to it as Jetty delivers it, and the end of the exchange settles the call, before
 * the application's complete listener runs (this one was added first). Jetty hands a chunk to every
 * content listener and reads on only when all have taken it, so this one never changes the pace at
 * which the application reads.
 */
final class ResponseTap implements Response.HeadersListener, Response.ContentListener, Response.CompleteListener {
  private final CallHandle handle;
  private volatile boolean started;
  private volatile boolean tapping;

  ResponseTap(CallHandle handle) {
    this.handle = handle;
  }

  @Override
  public void onHeaders(Response response) {
    started = true;
    // A decoder Jetty applies (gzip by default) drops Content-Encoding before the headers are told:
    // what is left is an encoding the content listeners get still encoded, which the tap decodes itself.
    tapping = handle.onResponseStart(new ResponseInfo(response.getStatus(), response.getHeaders().get(HttpHeader.CONTENT_TYPE),
        response.getHeaders().get(HttpHeader.CONTENT_ENCODING)));
  }

  @Override
  public void onContent(Response response, ByteBuffer content) {
    if (tapping) {
      handle.onBodyChunk(content);
    }
  }

  @Override
  public void onComplete(Result result) {
    Throwable failure = result.getFailure();
    if (failure == null) {
      if (tapping) {
        handle.onBodyEnd();
      }
    } else if (!started) {
      handle.onFailure(failure);
    } else if (tapping) {
      handle.onBodyError(failure);
    }
  }
}
