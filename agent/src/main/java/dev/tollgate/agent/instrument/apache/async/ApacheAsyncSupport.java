package dev.tollgate.agent.instrument.apache.async;

import dev.tollgate.agent.bootstrap.ApacheAsyncBridge;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;
import org.jspecify.annotations.Nullable;

/**
 * The async client's side of metering, called from {@code ApacheAsyncAdvice} in {@code doExecute}.
 *
 * <p>The advice sees an {@code AsyncRequestProducer}, not a request: the request only appears when
 * the producer sends it to a channel. The client's own producers ({@code BasicRequestProducer},
 * and {@code SimpleRequestProducer} behind {@code execute(SimpleHttpRequest…)}) just hand their
 * fixed request to the channel, so they are asked once more, into a {@link RequestCapture}. So is
 * one of them held by delegating wrappers, as other agents' (OpenTelemetry's) are. Any other
 * producer might do work or change state when asked, so its calls are left unmetered.
 *
 * <p>Cost for a call that is not metered: a class check and the small capture (24 bytes); its
 * method and host rule it out before the URL string is built. The capture is not kept per thread:
 * a thread-local value of a class defined beside the application's library would pin that class
 * loader from every pooled thread.
 */
public final class ApacheAsyncSupport extends ApacheAsyncBridge {

  /** Instantiated reflectively by the agent, in the class loader it defined this class in. */
  public ApacheAsyncSupport() {}

  @Override
  public @Nullable CallHandle begin(@Nullable Object target, Object producer) throws Exception {
    AsyncRequestProducer clients = clientsProducer(producer);
    if (clients == null) {
      return null;
    }
    RequestCapture sent = RequestCapture.of(clients);
    return begin((HttpHost) target, sent.request, sent.entity);
  }

  /** How many delegating wrappers deep the client's own producer is looked for: one per Java agent that wraps it. */
  private static final int MAX_WRAPPERS = 4;

  /**
   * The client's own producer: {@code producer} itself, or the one delegating wrappers hold, each in its only field
   * of a producer type (the OpenTelemetry Java agent wraps every producer so, to start its span when the request is
   * sent, and a second agent may wrap that wrapper); null for any other producer, or one more than {@value
   * #MAX_WRAPPERS} wrappers deep.
   */
  private static @Nullable AsyncRequestProducer clientsProducer(Object producer) {
    Object p = producer;
    for (int wrappers = 0; !isClients(p.getClass()); wrappers++) {
      Field delegate = wrappers < MAX_WRAPPERS ? DELEGATE.get(p.getClass()) : null;
      Object held;
      try {
        held = delegate == null ? null : delegate.get(p);
      } catch (IllegalAccessException e) {
        return null;
      }
      if (held == null) {
        return null;
      }
      p = held;
    }
    return (AsyncRequestProducer) p;
  }

  private static boolean isClients(Class<?> type) {
    return type == BasicRequestProducer.class || type == SimpleRequestProducer.class;
  }

  /** A wrapper's one instance field of a producer type, made accessible; null for a class with none, or several. */
  private static final ClassValue<@Nullable Field> DELEGATE = new ClassValue<@Nullable Field>() {
    @Override
    protected @Nullable Field computeValue(Class<?> type) {
      Field found = null;
      for (Field f : type.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && AsyncRequestProducer.class.isAssignableFrom(f.getType())) {
          if (found != null) {
            return null;
          }
          found = f;
        }
      }
      try {
        if (found != null) {
          found.setAccessible(true);
        }
        return found;
      } catch (RuntimeException e) { // InaccessibleObjectException (JDK 9+), SecurityException
        return null;
      }
    }
  };

  private static @Nullable CallHandle begin(@Nullable HttpHost target, HttpRequest request, @Nullable EntityDetails entity)
      throws Exception {
    // The host first: a call that cannot be metered is ruled out before the URL's string is built.
    URIAuthority authority = target == null ? request.getAuthority() : null;
    String host = target != null ? target.getHostName() : authority != null ? authority.getHostName() : null;
    if (!Hooks.mayMeter(request.getMethod(), host)) {
      return null;
    }
    String url = target != null ? target.toURI() + request.getRequestUri() : request.getUri().toString();
    Object operation = Hooks.classify(request.getMethod(), url);
    if (operation == null) {
      return null;
    }
    return Hooks.begin(operation, url, RequestBodies.read(request, entity), RequestBodies.length(entity), headers(request));
  }

  private static String @Nullable [] headers(HttpRequest request) {
    String[] names = Hooks.attributeHeaders();
    String[] values = names.length == 0 ? null : new String[names.length];
    for (int i = 0; values != null && i < names.length; i++) {
      org.apache.hc.core5.http.Header h = request.getFirstHeader(names[i]);
      values[i] = h == null ? null : h.getValue();
    }
    return values;
  }

  @Override
  public Object wrapConsumer(CallHandle handle, Object consumer) {
    return new TappingConsumer<>(handle, (AsyncResponseConsumer<?>) consumer);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object blocked(CallHandle handle, Object producer, Object consumer, @Nullable Object context, @Nullable Object callback) {
    return BlockedExchange.answer(handle, (AsyncRequestProducer) producer, (AsyncResponseConsumer) consumer,
        (HttpContext) context, (FutureCallback) callback);
  }

  @Override
  public void watch(CallHandle handle, @Nullable Object future) {

    // A future the client completed before returning it never reached the consumer (a failure
    // inside doExecute). A finished call has settled already, and settling twice is a no-op.
    if (future instanceof Future && ((Future<?>) future).isDone()) {
      handle.onFailure(new CancellationException("the client ended the call before sending it"));
    }
  }
}
