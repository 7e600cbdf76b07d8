package dev.tollgate.agent.instrument.apache4;

import dev.tollgate.agent.bootstrap.Apache4Bridge;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import net.bytebuddy.asm.Advice;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * Inlined into Apache HttpClient 4's {@code doExecute(target, request, context)} of {@code
 * InternalHttpClient} (what {@code HttpClients} and {@code HttpClientBuilder} build), {@code
 * MinimalHttpClient} and the deprecated {@code AbstractHttpClient}: every {@code execute} overload,
 * response-handler variants included, ends there once per call. Request entities are read for the
 * estimate only when they say they are repeatable.
 */
public final class Apache4Advice {
  private Apache4Advice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static boolean enter(
      @Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) HttpRequest request,
      @Advice.Local("tollgate") CallHandle handle) {
    try {
      String method = request.getRequestLine().getMethod();
      if (!Hooks.mayMeter(method, target == null ? null : target.getHostName())) {
        return false;
      }
      // The request line holds the absolute URI the application gave, or a path relative to target.
      String uri = request.getRequestLine().getUri();
      String url = target == null || uri.startsWith("http://") || uri.startsWith("https://") ? uri : target.toURI() + uri;
      Object operation = Hooks.classify(method, url);
      if (operation == null || !Apache4Bridge.SUPPORT.forLibrary(CloseableHttpClient.class).meters()) {
        return false;
      }
      HttpEntity entity = request instanceof HttpEntityEnclosingRequest ? ((HttpEntityEnclosingRequest) request).getEntity() : null;
      byte[] bytes = null;
      long length = entity == null ? 0 : entity.getContentLength();
      if (entity != null && entity.isRepeatable() && length >= 0 && length <= Hooks.MAX_BODY_COPY) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
        entity.writeTo(out);
        bytes = out.toByteArray();
      }
      String[] names = Hooks.attributeHeaders();
      String[] headers = names.length == 0 ? null : new String[names.length];
      for (int i = 0; i < names.length; i++) {
        Header h = request.getFirstHeader(names[i]);
        headers[i] = h == null ? null : h.getValue();
      }
      handle = Hooks.begin(operation, url, bytes, length, headers);
      return handle.isBlocked();
    } catch (Throwable t) {
      Hooks.failed("apache4-enter", t);
      return false;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Local("tollgate") CallHandle handle,
      @Advice.Enter boolean blocked,
      @Advice.Return(readOnly = false) CloseableHttpResponse response,
      @Advice.Thrown(readOnly = false) Throwable thrown) {
    int step = handle == null ? CallHandle.DONE : handle.exit(blocked, thrown, response);
    try {
      if (step == CallHandle.THROW_BLOCKED) {
        thrown = handle.blockedException();
      } else if (step == CallHandle.ANSWER_BLOCKED) {
        response = (CloseableHttpResponse) Apache4Bridge.SUPPORT.forLibrary(CloseableHttpClient.class).blockedResponse(handle.blockedBody());
      } else if (step == CallHandle.TAP) {
        HttpEntity entity = response.getEntity();
        Header type = entity == null ? null : entity.getContentType();
        // The decompressing entity (the default) reports no encoding; the raw one its header's.
        Header encoding = entity == null ? null : entity.getContentEncoding();
        InputStream tapped = handle.onResponse(new ResponseInfo(response.getStatusLine().getStatusCode(),
            type == null ? null : type.getValue(), encoding == null ? null : encoding.getValue()), entity == null ? null : entity.getContent());
        if (tapped != null) {
          InputStreamEntity wrapped = new InputStreamEntity(tapped, entity.getContentLength());
          wrapped.setContentType(type);
          wrapped.setContentEncoding(encoding);
          wrapped.setChunked(entity.isChunked());
          response.setEntity(wrapped);
        }
      }
    } catch (Throwable t) {
      thrown = handle.exitFailed(step, "apache4-exit", t);
    }
  }
}
