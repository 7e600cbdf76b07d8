package dev.tollgate.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.instrument.RecordingHandle;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The life of a Vert.x call between the advice in its request and in its response, keyed by the request. */
@org.junit.jupiter.api.parallel.Isolated("installs the JVM-wide Hooks dispatcher")
class VertxCallsTest {
  private static final String CHAT = "https://api.openai.com/v1/chat/completions";
  private final Deque<RecordingHandle> handles = new ArrayDeque<>();

  @BeforeEach
  void install() {
    Hooks.install(new Dispatcher() {
      @Override
      public Object classify(String method, String url) {
        return url.equals(CHAT) ? "chat" : null;
      }

      @Override
      public CallHandle begin(Object operation, String url, byte[] body, long contentLength) {
        return handles.removeFirst();
      }

      @Override
      public void failed(String site, Throwable t) {
        throw new AssertionError(site, t);
      }
    });
  }

  @AfterEach
  void uninstall() {
    Hooks.install((Dispatcher) null);
  }

  @Test
  void begin_otherUrl_isNotMetered() {
    Object request = new Object();

    assertThat(VertxCalls.classify(request, "https://example.com/v1/chat/completions")).isNull();
    assertThat(VertxCalls.metered(request)).isFalse();
  }

  @Test
  void okResponse_isTappedChunkByChunk_andSettlesOnceAtItsEnd() {
    RecordingHandle handle = next(RecordingHandle.proceeding());
    Object request = new Object();

    begin(request, CHAT, new byte[0], 0);
    assertThat(VertxCalls.metered(request)).isTrue();
    assertThat(VertxCalls.responseStarted(request, 200, "application/json", null)).isTrue();
    VertxCalls.tapping(request).onBodyChunk(new byte[] {'{', '}'}, 0, 2);
    VertxCalls.ended(request);
    VertxCalls.failed(request, new IOException("connection closed after the end"));

    assertThat(handle.events).containsExactly("start 200 application/json", "end");
    assertThat(handle.body.toString()).isEqualTo("{}");
    assertThat(VertxCalls.tapping(request)).isNull();
    assertThat(VertxCalls.metered(request)).isFalse();
  }

  @Test
  void failure_beforeTheResponse_releasesTheCall_duringItsBody_endsItsTap() {
    RecordingHandle refused = next(RecordingHandle.proceeding());
    RecordingHandle reset = next(RecordingHandle.proceeding());
    Object first = new Object();
    Object second = new Object();

    begin(first, CHAT, new byte[0], 0);
    begin(second, CHAT, new byte[0], 0);
    VertxCalls.failed(first, new IOException("Connection refused"));
    VertxCalls.responseStarted(second, 200, "text/event-stream", null);
    VertxCalls.failed(second, new IOException("Stream reset"));

    assertThat(refused.events).containsExactly("failure");
    assertThat(reset.events).containsExactly("start 200 text/event-stream", "error");
  }

  @Test
  void errorStatus_settlesAtTheStart_andIsNotTapped() {
    RecordingHandle handle = next(RecordingHandle.proceeding());
    Object request = new Object();

    begin(request, CHAT, new byte[0], 0);

    assertThat(VertxCalls.responseStarted(request, 429, "application/json", null)).isFalse();
    assertThat(VertxCalls.tapping(request)).isNull();
    VertxCalls.ended(request);
    assertThat(handle.events).containsExactly("start 429 application/json");
  }

  @Test
  void blockedCall_isNotKept_andFailsWithTheBlocksException() {
    IOException exhausted = new IOException("credits exhausted");
    RecordingHandle inExceptionMode = next(new RecordingHandle(null, exhausted));
    RecordingHandle inResponseMode = next(new RecordingHandle("{\"error\":{}}", null));
    Object request = new Object();

    assertThat(begin(request, CHAT, new byte[0], 0)).isSameAs(inExceptionMode);
    assertThat(VertxCalls.metered(request)).isFalse();
    assertThat(VertxCalls.refusal(inExceptionMode)).isSameAs(exhausted);
    assertThat(VertxCalls.refusal(begin(new Object(), CHAT, new byte[0], 0)))
        .hasMessage("Tollgate blocked this call: {\"error\":{}}");
    assertThat(inResponseMode.events).isEmpty();
  }

  /** A body written in pieces ({@code write}, then {@code end}): a blocked first write leaves the head unwritten, so {@code end} is a first write too. */
  @Test
  void blockedRequest_writtenAgain_isRefusedWithTheSameBlock_notMeteredTwice() {
    RecordingHandle blocked = next(new RecordingHandle("{\"error\":{}}", null));
    RecordingHandle unused = next(RecordingHandle.proceeding());
    Object request = new Object();

    assertThat(begin(request, CHAT, null, -1)).isSameAs(blocked);
    assertThat(begin(request, CHAT, null, -1)).isSameAs(blocked);

    assertThat(handles).containsExactly(unused); // Hooks.begin ran once: one block, one record
    assertThat(VertxCalls.metered(request)).isFalse();
  }

  /** As the advice does: classifies before the body is read, then begins. */
  private static CallHandle begin(Object request, String url, byte[] body, long contentLength) {
    Object classified = VertxCalls.classify(request, url);
    return classified == null ? null : VertxCalls.begin(request, classified, url, body, contentLength, null);
  }

  private RecordingHandle next(RecordingHandle h) {
    handles.addLast(h);
    return h;
  }
}
