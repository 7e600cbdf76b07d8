package dev.tollgate.agent.instrument.urlconnection;

import dev.tollgate.agent.bootstrap.BlockedUrlResponse;
import dev.tollgate.agent.bootstrap.UrlCall;
import dev.tollgate.agent.bootstrap.UrlConnections;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.jspecify.annotations.Nullable;

/**
 * Inlined into the JDK's {@code sun.net.www.protocol.http.HttpURLConnection} (java.base), which
 * {@code HttpsURLConnection} delegates to as well; {@code connect} also into its HTTPS subclass,
 * which overrides it. Every method hands off to {@link UrlCall}; a connection that cannot be metered
 * costs a look at its method and host per hooked method, and allocates nothing (see {@link UrlConnections}).
 *
 * <p>The advice is inlined into java.base, so it calls only boot-loader classes: the bootstrap
 * package and the JDK. A blocked call skips the JDK's methods: nothing connects, and the getters answer with a
 * synthetic 402 (or throw {@code CreditsExhaustedException} in exception mode).
 */
public final class UrlConnectionAdvice {
  private UrlConnectionAdvice() {}

  /** {@code connect()}, on both the HTTP class and the HTTPS delegate. */
  public static final class Connect {
    private Connect() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This HttpURLConnection c) {
      UrlCall call = UrlConnections.call(c);
      return call != null && call.deferConnect();
    }
  }

  /** {@code getOutputStream()}. The streaming-mode fields are {@code java.net.HttpURLConnection}'s protected API. */
  public static final class Output {
    private Output() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static @Nullable Object enter(
        @Advice.This HttpURLConnection c,
        @Advice.FieldValue("fixedContentLength") int fixedLength,
        @Advice.FieldValue("fixedContentLengthLong") long fixedLengthLong,
        @Advice.FieldValue("chunkLength") int chunkLength) {
      UrlCall call = UrlConnections.call(c);
      if (call == null) {
        return null;
      }
      boolean streaming = fixedLength != -1 || fixedLengthLong != -1 || chunkLength != -1;
      return call.beforeOutput(c, streaming, fixedLengthLong != -1 ? fixedLengthLong : fixedLength);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Object verdict,
        @Advice.Return(readOnly = false) OutputStream out,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (verdict instanceof OutputStream) {
        out = (OutputStream) verdict;
      } else if (verdict != null) {
        thrown = (Throwable) verdict;
      }
    }
  }

  /**
   * {@code getInputStream()}, which {@code getResponseCode} and every header getter call too. An
   * unmetered call marks its connection as being read, so a redirect the JDK follows in there
   * (which may land on a metered host) is never taken for a new call.
   */
  public static final class Input {
    private Input() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static @Nullable Object enter(
        @Advice.This HttpURLConnection c,
        @Advice.Local("tollgate") UrlCall call,
        @Advice.Local("tollgateOuter") HttpURLConnection outer) {
      call = UrlConnections.call(c);
      if (call == null) {
        outer = UrlConnections.startReading(c);
        return null;
      }
      return call.beforeInput(c);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This HttpURLConnection c,
        @Advice.Local("tollgate") UrlCall call,
        @Advice.Local("tollgateOuter") HttpURLConnection outer,
        @Advice.Enter Object verdict,
        @Advice.FieldValue("responseCode") int code,
        @Advice.Return(readOnly = false) InputStream stream,
        @Advice.Thrown(readOnly = false) Throwable thrown,
        @Advice.FieldValue(value = "inputStream", readOnly = false) InputStream held) {
      if (call == null) {
        UrlConnections.stopReading(outer);
        return;
      }
      if (verdict instanceof InputStream) {
        stream = (InputStream) verdict;
      } else if (verdict != null) {
        thrown = (Throwable) verdict;
      } else {
        InputStream returned = stream;
        stream = call.afterInput(c, stream, thrown, code);
        if (stream != returned && stream != null && held == returned) {
          // The connection holds its tap where it holds its own stream: getResponseCode drops what
          // getInputStream returns, and the call keeps the tap only weakly (it must not keep the
          // connection alive), so without this a collection could part the two before the app reads.
          held = stream;
        }
      }
    }
  }

  /** {@code getErrorStream()}: a blocked call's JSON body. Exit: {@link Synthetic}. */
  public static final class ErrorStream {
    private ErrorStream() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static @Nullable InputStream enter(@Advice.This HttpURLConnection c) {
      BlockedUrlResponse blocked = UrlConnections.blocked(c);
      return blocked == null ? null : blocked.errorStream();
    }
  }

  /**
   * {@code getHeaderField(String)}. A header the synthetic 402 lacks runs the JDK's method, which
   * finds no response and answers null, as it would. Exit: {@link Synthetic}.
   */
  public static final class HeaderByName {
    private HeaderByName() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static @Nullable String enter(@Advice.This HttpURLConnection c, @Advice.Argument(0) String name) {
      BlockedUrlResponse blocked = UrlConnections.blocked(c);
      return blocked == null ? null : blocked.field(name);
    }
  }

  /** {@code getHeaderField(int)}; field 0 is the status line {@code getResponseCode} parses. Exit: {@link Synthetic}. */
  public static final class HeaderByIndex {
    private HeaderByIndex() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static @Nullable String enter(@Advice.This HttpURLConnection c, @Advice.Argument(0) int n) {
      BlockedUrlResponse blocked = UrlConnections.blocked(c);
      return blocked == null ? null : blocked.field(n);
    }
  }

  /** {@code getHeaderFieldKey(int)}. Exit: {@link Synthetic}. */
  public static final class HeaderKey {
    private HeaderKey() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static @Nullable String enter(@Advice.This HttpURLConnection c, @Advice.Argument(0) int n) {
      BlockedUrlResponse blocked = UrlConnections.blocked(c);
      return blocked == null ? null : blocked.key(n);
    }
  }

  /** {@code getHeaderFields()}. Exit: {@link Synthetic}. */
  public static final class HeaderFields {
    private HeaderFields() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static @Nullable Map<String, List<String>> enter(@Advice.This HttpURLConnection c) {
      BlockedUrlResponse blocked = UrlConnections.blocked(c);
      return blocked == null ? null : blocked.fields();
    }
  }

  /**
   * The exit of the advices above, whose enter returns the synthetic value of a blocked call and
   * so skips the JDK's method: that value becomes the method's result.
   */
  public static final class Synthetic {
    private Synthetic() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Enter Object synthetic, @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object value) {
      if (synthetic != null) {
        value = synthetic;
      }
    }
  }

  /** {@code disconnect()}: settles what the application leaves unread. */
  public static final class Disconnect {
    private Disconnect() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This HttpURLConnection c) {
      UrlCall call = UrlConnections.find(c);
      if (call != null) {
        call.afterDisconnect();
      }
    }
  }
}
