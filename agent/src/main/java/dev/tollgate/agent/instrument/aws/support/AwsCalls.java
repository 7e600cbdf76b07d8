package dev.tollgate.agent.instrument.aws.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/** What the sync and async clients share: classifying a signed request, starting its call, the blocked answer. */
final class AwsCalls {
  private AwsCalls() {}

  /** The metered operation {@code r} calls, or null; allocates nothing for a host no endpoint names. */
  static /* @Nullable */ Object classify(SdkHttpRequest r) {
    String method = r.method().name();
    if (!Hooks.mayMeter(method, r.host())) {
      return null;
    }
    return Hooks.classify(method, r.getUri().toString());
  }

  /** Estimates, reserves and decides the call, from the request the SDK signed. */
  static CallHandle begin(Object operation, SdkHttpRequest r, /* @Nullable */ ContentStreamProvider body, long length,
      /* @Nullable */ Object caller) throws IOException {
    String[] names = Hooks.attributeHeaders();
    String[] headers = names.length == 0 ? null : new String[names.length];
    for (int i = 0; i < names.length; i++) {
      headers[i] = r.firstMatchingHeader(names[i]).orElse(null);
    }
    if (length < 0) {
      length = r.firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L);
    }
    byte[] bytes = body == null || length > Hooks.MAX_BODY_COPY ? null : read(body);
    return Hooks.begin(operation, r.getUri().toString(), bytes, bytes == null ? length : bytes.length, headers, caller);
  }

  /** The body of a request the SDK built (its content provider opens a new stream each time, for its retries). */
  private static /* @Nullable */ byte[] read(ContentStreamProvider body) throws IOException {
    try (InputStream in = body.newStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.size() > Hooks.MAX_BODY_COPY) {
          return null;
        }
      }
      return out.toByteArray();
    }
  }

  /** The body of an async request: its full form holds the marshalled bytes; null when it does not. */
  static /* @Nullable */ ContentStreamProvider content(SdkHttpRequest r) {
    return r instanceof SdkHttpFullRequest ? ((SdkHttpFullRequest) r).contentStreamProvider().orElse(null) : null;
  }

  /** What metering needs of a response's head. */
  static ResponseInfo info(SdkHttpResponse head) {
    return new ResponseInfo(head.statusCode(), head.firstMatchingHeader("Content-Type").orElse(null),
        head.firstMatchingHeader("Content-Encoding").orElse(null));
  }

  /** Tells the call the token counts Bedrock puts in an InvokeModel response's headers, if any. */
  static void usageHeaders(CallHandle handle, SdkHttpResponse response) {
    long in = count(response, "X-Amzn-Bedrock-Input-Token-Count");
    if (in >= 0) {
      handle.onUsageHeaders(in, count(response, "X-Amzn-Bedrock-Output-Token-Count"));
    }
  }

  private static long count(SdkHttpResponse response, String header) {
    try {
      return response.firstMatchingHeader(header).map(v -> Long.parseLong(v.trim())).orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The synthetic 402 of a blocked call, in the shape the SDK's JSON protocols read as a service
   * error: the error type in {@code x-amzn-ErrorType}, the message also at the top of the body (where
   * the SDK looks for it), the contract's {@code error} object beside it.
   */
  static SdkHttpResponse blockedResponse() {
    return SdkHttpResponse.builder()
        .statusCode(402)
        .statusText("Payment Required")
        .putHeader("Content-Type", "application/json")
        .putHeader("Tollgate-Blocked", "true")
        .putHeader("x-amzn-ErrorType", "TollgateBlocked")
        .build();
  }

  static byte[] blockedBody(CallHandle handle) {
    String body = handle.blockedBody();
    String message = messageLiteral(body);
    String json = message == null ? body : "{\"message\":" + message + "," + body.substring(1);
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The JSON string literal (quotes and escapes kept) of the body's first {@code "message"}, or null. */
  private static /* @Nullable */ String messageLiteral(String body) {
    int key = body.indexOf("\"message\":\"");
    if (key < 0) {
      return null;
    }
    int start = key + 10;
    for (int i = start + 1; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return body.substring(start, i + 1);
      }
    }
    return null;
  }
}
