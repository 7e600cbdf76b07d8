package dev.tollgate.agent.instrument.spring;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.SpringBridge;
import net.bytebuddy.asm.Advice;
import org.springframework.http.HttpRequest;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Inlined into Spring's {@code ReactorClientHttpRequest.executeInternal(headers, body)}: RestClient
 * (and RestTemplate) on Reactor Netty, the request factory Spring picks when Reactor Netty is on the
 * class path. RestClient on the JDK client, Apache HttpClient 5, OkHttp or {@code HttpURLConnection}
 * is metered by those clients' own instrumentation.
 */
public final class RestClientRequestAdvice {
  private RestClientRequestAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static boolean enter(
      @Advice.This HttpRequest request,
      @Advice.Argument(value = 1, readOnly = false) StreamingHttpOutputMessage.Body body,
      @Advice.Local("tollgate") CallHandle handle) {
    try {
      String url = request.getURI().toString();
      Object operation = Hooks.classify(request.getMethod().name(), url);
      if (operation == null) {
        return false;
      }
      SpringBridge spring = SpringBridge.SUPPORT.forLibrary(HttpRequest.class);
      if (!spring.meters()) {
        return false;
      }
      byte[] bytes = null;
      if (body != null) {
        Object captured = spring.captureBody(body);
        body = (StreamingHttpOutputMessage.Body) captured;
        bytes = spring.capturedBytes(captured);
      }
      String[] names = Hooks.attributeHeaders();
      String[] headers = names.length == 0 ? null : new String[names.length];
      for (int i = 0; i < names.length; i++) {
        headers[i] = request.getHeaders().getFirst(names[i]);
      }
      long length = bytes == null ? (body == null ? 0 : -1) : bytes.length;
      handle = Hooks.begin(operation, url, length > Hooks.MAX_BODY_COPY ? null : bytes, length, headers);
      return handle.isBlocked();
    } catch (Throwable t) {
      Hooks.failed("spring-rest-client-enter", t);
      return false;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Local("tollgate") CallHandle handle,
      @Advice.Enter boolean blocked,
      @Advice.Return(readOnly = false) ClientHttpResponse response,
      @Advice.Thrown(readOnly = false) Throwable thrown) {
    int step = handle == null ? CallHandle.DONE : handle.exit(blocked, thrown, response);
    try {
      if (step == CallHandle.THROW_BLOCKED) {
        thrown = handle.blockedException();
      } else if (step == CallHandle.ANSWER_BLOCKED) {
        response = (ClientHttpResponse) SpringBridge.SUPPORT.forLibrary(HttpRequest.class).blockedResponse(handle.blockedBody());
      } else if (step == CallHandle.TAP) {
        response = (ClientHttpResponse) SpringBridge.SUPPORT.forLibrary(HttpRequest.class).tap(response, handle);
      }
    } catch (Throwable t) {
      thrown = handle.exitFailed(step, "spring-rest-client-exit", t);
    }
  }
}
