package dev.tollgate.agent.instrument.grpc.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import io.grpc.Attributes;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A metered method's {@code ClientCall}, as the channel created it, started only once its request is
 * known. {@code start} is held back, with the {@code request(n)} and compression settings that follow
 * it, until the first {@code sendMessage}: the request names the model, the call is estimated and
 * reserved, and then either the channel's call starts and the request goes out, or (blocked) the
 * application's listener is closed with {@code RESOURCE_EXHAUSTED} and the channel's call never
 * starts, so no stream is opened and nothing is sent. gax does not retry that status for Vertex AI.
 * The application sees the block synchronously, inside {@code sendMessage}, as gRPC reports a call
 * that fails before it starts. A call that ends before any request ({@code halfClose} or {@code
 * cancel} first) starts unmetered, as it was.
 *
 * <p>When the channel's call was created with a {@link ResponseTee} as its response marshaller
 * ({@link Metering#teeing}), the tee feeds the call's {@link ResponseTap} each response's wire bytes
 * as grpc parses them, so no response is serialized again to be read.
 */
final class MeteredClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private static final int WAITING = 0;
  private static final int OPEN = 1;
  private static final int CLOSED = 2;
  static final Metadata.Key<String> BLOCKED = Metadata.Key.of("tollgate-blocked", Metadata.ASCII_STRING_MARSHALLER);

  private final ClientCall<ReqT, RespT> call;
  private final @Nullable ResponseTee<RespT> tee;
  private final boolean unary;
  private final boolean raw;
  private final String base;
  private final String suffix;
  private volatile int state = WAITING;
  private @Nullable Listener<RespT> listener;
  private @Nullable Metadata headers;
  private int pendingRequests;
  private @Nullable Boolean compression;

  /**
   * @param tee the response marshaller the channel's call was created with, or null when it parses
   *     with the application's own: each message is then read as it is handed over
   * @param raw a raw prediction ({@code RawPredictRequest}, answered with {@code HttpBody}s): the
   *     provider's own JSON travels in {@code http_body}, and is read as over REST
   * @param base the REST URL up to the model, {@code https://{authority}/{version}/}
   * @param suffix what follows the model, {@code :generateContent}
   */
  MeteredClientCall(ClientCall<ReqT, RespT> call, @Nullable ResponseTee<RespT> tee, boolean unary, boolean raw, String base,
      String suffix) {
    this.call = call;
    this.tee = tee;
    this.unary = unary;
    this.raw = raw;
    this.base = base;
    this.suffix = suffix;
  }

  @Override
  public void start(Listener<RespT> responseListener, Metadata requestHeaders) {
    if (state != WAITING || listener != null) {
      throw new IllegalStateException("Already started"); // as the channel's own call says
    }
    listener = responseListener;
    headers = requestHeaders;
  }

  @Override
  public void request(int numMessages) {
    synchronized (this) {
      if (state == WAITING) {
        pendingRequests += numMessages;
        return;
      }
    }
    if (state == OPEN) {
      call.request(numMessages);
    }
  }

  @Override
  public void sendMessage(ReqT message) {
    Listener<RespT> l = listener;
    if (state == WAITING && l != null) {
      CallHandle handle = begin(message, headers);
      if (handle != null && handle.isBlocked()) {
        state = CLOSED;
        refuse(handle, l);
        return;
      }
      try {
        open(handle == null ? l : tap(l, handle));
      } catch (RuntimeException | Error e) {
        if (handle != null) {
          handle.onFailure(e); // the channel refused to start it: nothing was sent, nothing stays reserved
        }
        throw e;
      }
    }
    if (state != CLOSED) {
      call.sendMessage(message);
    }
  }

  @Override
  public void halfClose() {
    openUnmetered();
    if (state != CLOSED) {
      call.halfClose();
    }
  }

  @Override
  public void cancel(@Nullable String message, @Nullable Throwable cause) {
    openUnmetered();
    if (state != CLOSED) {
      call.cancel(message, cause);
    }
  }

  @Override
  public boolean isReady() {
    return state == OPEN && call.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    if (state == OPEN) {
      call.setMessageCompression(enabled);
    } else {
      compression = enabled;
    }
  }

  @Override
  public Attributes getAttributes() {
    return call.getAttributes();
  }

  @Override
  public String toString() {
    return "Tollgate(" + call + ")";
  }

  /**
   * Estimates and reserves the call; null (unmetered) when it is not metered or metering failed. A
   * {@code GenerateContentRequest} is estimated from its size on the wire, its output bounded by its
   * {@code generation_config.max_output_tokens} (as REST's {@code generationConfig.maxOutputTokens}); a
   * raw prediction from the JSON it carries, as over REST.
   */
  private @Nullable CallHandle begin(ReqT request, @Nullable Metadata requestHeaders) {
    try {
      String url = base + (raw ? ProtoMessages.endpoint(request) : ProtoMessages.model(request)) + suffix;
      Object operation = Hooks.classify("POST", url);
      if (operation == null) {
        return null;
      }
      byte @Nullable [] body = raw ? ProtoMessages.rawBody(request, Hooks.MAX_BODY_COPY) : null;
      long length = raw ? (body == null ? -1 : body.length) : ProtoMessages.size(request);
      long maxOutputTokens = raw ? -1 : ProtoMessages.maxOutputTokens(request);
      return Hooks.begin(operation, url, body, length, maxOutputTokens, attributeHeaders(requestHeaders));
    } catch (Throwable t) {
      Hooks.failed("grpc-begin", t);
      return null;
    }
  }

  private static String @Nullable [] attributeHeaders(@Nullable Metadata requestHeaders) {
    String[] names = Hooks.attributeHeaders();
    if (names.length == 0 || requestHeaders == null) {
      return null;
    }
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = requestHeaders.get(Metadata.Key.of(names[i].toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER));
    }
    return values;
  }

  /** The application's listener behind the tap, which the tee (if any) feeds from now on. */
  private ResponseTap<RespT> tap(Listener<RespT> l, CallHandle handle) {
    ResponseTee<RespT> t = tee;
    ResponseTap<RespT> tap = new ResponseTap<>(l, handle, unary, raw, t != null);
    if (t != null) {
      t.into(tap);
    }
    return tap;
  }

  /** Starts the channel's call with {@code l}, then what was asked of it before it started. */
  private void open(Listener<RespT> l) {
    call.start(l, headers == null ? new Metadata() : headers);
    if (compression != null) {
      call.setMessageCompression(compression);
    }
    while (true) {
      int n;
      synchronized (this) {
        n = pendingRequests;
        pendingRequests = 0;
        if (n == 0) {
          state = OPEN;
          return;
        }
      }
      call.request(n);
    }
  }

  /** A call that ends before its request: started as the application asked, unmetered. */
  private void openUnmetered() {
    Listener<RespT> l = listener;
    if (state == WAITING && l != null) {
      open(l);
    }
  }

  /** The blocked call fails as gRPC fails a call: closed with a status, here before it started. */
  private static <T> void refuse(CallHandle handle, Listener<T> l) {
    IOException refusal = handle.blockedException();
    @Nullable String description;
    try {
      description = refusal != null ? refusal.getMessage() : BlockedMessage.of(handle.requireBlockedBody());
    } catch (RuntimeException e) {
      description = "Tollgate blocked this call"; // the block holds whatever its text
    }
    Metadata trailers = new Metadata();
    trailers.put(BLOCKED, "true");
    l.onClose(Status.RESOURCE_EXHAUSTED.withDescription(description).withCause(refusal), trailers);
  }
}
