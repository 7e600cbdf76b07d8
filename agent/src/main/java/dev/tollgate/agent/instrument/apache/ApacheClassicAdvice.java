package dev.tollgate.agent.instrument.apache;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Inlined into Apache HttpClient 5's {@code InternalHttpClient} and {@code MinimalHttpClient}
 * {@code doExecute(target, request, context)}, which every classic {@code execute} overload reaches,
 * response-handler variants included (the handler reads the entity this advice has wrapped).
 * Request entities are read for the estimate only when they say they are repeatable.
 */
public final class ApacheClassicAdvice {
  private ApacheClassicAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static boolean enter(
      @Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) ClassicHttpRequest request,
      @Advice.Local("tollgate") CallHandle handle) {
    try {
      // The host first: a call that cannot be metered is ruled out before the URL's string is built.
      URIAuthority authority = target == null ? request.getAuthority() : null;
      String host = target != null ? target.getHostName() : authority != null ? authority.getHostName() : null;
      if (!Hooks.mayMeter(request.getMethod(), host)) {
        return false;
      }
      String url = target != null ? target.toURI() + request.getRequestUri() : request.getUri().toString();
      Object operation = Hooks.classify(request.getMethod(), url);
      if (operation == null) {
        return false;
      }
      HttpEntity entity = request.getEntity();
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
        org.apache.hc.core5.http.Header h = request.getFirstHeader(names[i]);
        headers[i] = h == null ? null : h.getValue();
      }
      handle = Hooks.begin(operation, url, bytes, length, headers);
      return handle.isBlocked();
    } catch (Throwable t) {
      Hooks.failed("apache-enter", t);
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
        BasicClassicHttpResponse synthetic = new BasicClassicHttpResponse(402, "Payment Required");
        synthetic.addHeader("Tollgate-Blocked", "true");
        synthetic.setEntity(new StringEntity(handle.blockedBody(), ContentType.APPLICATION_JSON));
        response = CloseableHttpResponse.adapt(synthetic);
      } else if (step == CallHandle.TAP) {
        HttpEntity entity = response.getEntity();
        String type = entity == null ? null : entity.getContentType();
        // A decompressing entity reports no encoding; the raw one (decompression disabled) its header's.
        String encoding = entity == null ? null : entity.getContentEncoding();
        InputStream tapped = handle.onResponse(new ResponseInfo(response.getCode(), type, encoding), entity == null ? null : entity.getContent());
        if (tapped != null) {
          response.setEntity(new InputStreamEntity(tapped, entity.getContentLength(), type == null ? null : ContentType.parse(type), encoding));
        }
      }
    } catch (Throwable t) {
      thrown = handle.exitFailed(step, "apache-exit", t);
    }
  }
}
