package dev.tollgate.agent.instrument.spring;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.SpringBridge;
import java.io.IOException;
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
      SpringBridge spring = Hooks.SPRING.forLibrary(HttpRequest.class);
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
      handle = Hooks.begin(operation, url, bytes, bytes == null ? (body == null ? 0 : -1) : bytes.length, headers);
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
    if (handle == null) {
      return;
    }
    if (blocked) {
      IOException exception = handle.blockedException();
      if (exception != null) {
        thrown = exception;
        return;
      }
      try {
        response = (ClientHttpResponse) Hooks.SPRING.forLibrary(HttpRequest.class).blockedResponse(handle.blockedBody());
        thrown = null;
      } catch (Throwable t) {
        thrown = handle.blockedFailure(t);
      }
      return;
    }
    if (thrown != null || response == null) {
      handle.onFailure(thrown);
      return;
    }
    try {
      response = (ClientHttpResponse) Hooks.SPRING.forLibrary(HttpRequest.class).tap(response, handle);
    } catch (Throwable t) {
      Hooks.failed("spring-rest-client-exit", t);
    }
  }
}
