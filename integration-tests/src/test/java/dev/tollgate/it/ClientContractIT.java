package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ScenarioDriver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenarios every hooked HTTP client must pass under the agent, each in a real JVM with the real
 * agent jar and the real library, against one loopback server. A client's IT extends this class with a
 * small adapter: which {@linkplain #variants() classpaths} it runs on, which {@linkplain #app() app}
 * makes its calls, and which of that app's modes make a JSON call, read a stream, and so on.
 *
 * <h2>Scenarios</h2>
 * <ul>
 *   <li>{@link #json_isMeteredAtExactCost} (OpenAI JSON, every field of the record; Anthropic JSON with cache writes)
 *   <li>{@link #sse_streamsUnchanged_andIsMeteredFromTheUsageEvents} (OpenAI's usage chunk, byte for byte; Anthropic's cumulative deltas)
 *   <li>{@link #errorAnswersAndRefusedConnections_costNothing_andReleaseTheReservation} (429, 500, a refused port)
 *   <li>{@link #gzip_isDecodedForTheUsage_andMeteredAtExactCost}
 *   <li>{@link #blocked_answers402_andNothingLeaves} (budget 0)
 *   <li>{@link #nonMetered_passesThroughByteForByte_andIsNotRecorded} (budget 0: another path, a models listing)
 *   <li>{@link #blockedInExceptionMode_throwsCreditsExhausted_andNothingLeaves} ({@code tollgate.block-mode=exception})
 * </ul>
 *
 * <h2>Forks: one JVM per configuration, many scenarios in each</h2>
 * The scenarios need three JVM-wide configurations ({@link Config}). For each variant and
 * configuration the class forks ONE JVM, {@link ScenarioDriver}, the first time a test needs it, and
 * feeds it every call of every scenario of that configuration, in every mode of the adapter (and of the
 * other clients of its {@linkplain #SHARED_JVMS group}). Scenarios stay apart because each (client,
 * scenario, mode, provider) has its own endpoint: the name {@code
 * <client>-<variant>-<scenario>-<mode>-<provider>}, the URL {@code http://127.0.0.1:PORT/<that name>/v1}
 * and its own journal records (the {@code provider} field) and server requests (the first path segment).
 * Error scenarios run first in their JVM, so the balance they see is still the whole budget.
 *
 * <h2>The output protocol of forked apps</h2>
 * Every app under {@code apps/} prints, on standard output, one line per fact, a KEYWORD then a space
 * then the value, read back with {@link Fork.Result#lines(String)}:
 * <ul>
 *   <li>{@code ACTIVE true|false}: {@code Tollgate.isActive()} as the app started.
 *   <li>{@code STATUS code}, {@code BLOCKED value-of-the-Tollgate-Blocked-header|null}: a response arrived.
 *   <li>{@code BODY text}: a whole body, read as a string (JSON calls, error bodies, blocked 402s).
 *   <li>{@code LINE text}: one line of a body read line by line (streams); joined with {@code \n} they are the body.
 *   <li>{@code ERROR class message} (and, where the app unwraps, {@code CAUSE class}): the call threw.
 *   <li>{@code BALANCE credits}, {@code OPEN n}, {@code LOW ...}, {@code ONBLOCKED model credits}, {@code USAGE ...}:
 *       what the public {@code dev.tollgate.api.Tollgate} facade and listeners reported.
 * </ul>
 * The agent's own lines go to standard error, prefixed {@code [tollgate]} ({@link Fork.Result#agentLog()}).
 * {@link ScenarioDriver} wraps each app run in {@code BEGIN id} / {@code END id} (on both streams), adds
 * {@code AFTER balance open-reservations} and {@code FAILED ...} when an app's main threw; {@link Slice}
 * is one such run. The journal a JVM wrote is read with {@link Journal} once the JVM has exited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClientContractIT {

  /** The JVM-wide settings the scenarios need; one JVM per variant and configuration. */
  enum Config {
    /** Budget 1 credit: metering, streams, errors, gzip. */
    PLENTY,
    /** Budget 0: every metered call is blocked; non-metered calls must still pass. */
    ZERO,
    /** Budget 0 and {@code tollgate.block-mode=exception}. */
    EXCEPTION,
    /** No agent at all: the non-metered calls again, to compare what the app and the server saw. */
    NO_AGENT
  }

  enum Provider {
    OPENAI("openai", "/v1", "/v1/chat/completions"),
    ANTHROPIC("anthropic", "/v1", "/v1/messages");

    final String format;
    final String base;
    final String path;

    Provider(String format, String base, String path) {
      this.format = format;
      this.base = base;
      this.path = path;
    }
  }

  // ---- the adapter a client's IT provides ----

  /** The {@code it-classpaths/} scenarios (library versions) this client runs on; {@code jdk} for the JDK alone. */
  abstract List<String> variants();

  /** The app under {@code apps/} whose {@code main(mode, url, json, ...)} makes one call. */
  abstract Class<?> app();

  /** Modes that make a JSON call and print the body as one {@code BODY} line. */
  abstract List<String> jsonModes(String variant);

  /** Modes that read a streamed body line by line, printing {@code LINE}s. */
  abstract List<String> streamModes(String variant);

  /** Modes that make a call answered with a gzip body the app decodes (the app asks for gzip itself, or its client does); none by default. */
  List<String> gzipModes(String variant) {
    return List.of();
  }

  /** Modes whose 429, 500 and refused connection are checked; the JSON modes by default. */
  List<String> errorModes(String variant) {
    return jsonModes(variant);
  }

  /** Modes blocked with a 402; JSON and stream modes by default. */
  List<String> blockedModes(String variant) {
    List<String> all = new ArrayList<>(jsonModes(variant));
    streamModes(variant).stream().filter(m -> !all.contains(m)).forEach(all::add);
    return all;
  }

  /**
   * Modes checked in exception mode; the JSON modes by default. None for a variant whose client runs
   * this scenario on another variant (the scenario is then reported skipped and its JVM not forked).
   */
  List<String> exceptionModes(String variant) {
    return jsonModes(variant);
  }

  /** Modes that call a non-metered URL; the first JSON mode by default. None, as for {@link #exceptionModes}, skips the scenario. */
  List<String> plainModes(String variant) {
    return jsonModes(variant).subList(0, 1);
  }

  /** The app's arguments for one call; {@code mode url json} by default. */
  List<String> args(String variant, String mode, String url, String json) {
    return List.of(mode, url, json);
  }

  /**
   * Calls of this client's own tests, made last in the {@link Config#PLENTY} JVM (budget 1), so they
   * need no JVM of their own. Each POSTs {@code json} in its mode to an OpenAI endpoint of its own,
   * named by its id (unique across this class), at {@code /<id>/v1/chat/completions}, answered by its
   * answer; a test reads it back with {@code slice(variant, Config.PLENTY, id)}, {@link #records} and
   * {@link #requests}. None by default.
   */
  List<OwnCall> ownCalls(String variant) {
    return List.of();
  }

  /** A call of a client's own test (see {@link #ownCalls}). */
  static final class OwnCall {
    final String id;
    final String mode;
    final String json;
    final Supplier<MockResponse> answer;

    OwnCall(String id, String mode, String json, Supplier<MockResponse> answer) {
      this.id = id;
      this.mode = mode;
      this.json = json;
      this.answer = answer;
    }
  }

  /** Adds what this client's JVM needs (a nested loader, a switch). */
  Fork customize(Fork fork, String variant) {
    return fork;
  }

  /** Whether {@code mode} reads its body line by line (a JSON body or a blocked 402 then arrives as {@code LINE}s). */
  boolean readsLines(String mode) {
    return false;
  }

  /** The lines of the body the app read: its {@code LINE}s for a mode that {@linkplain #readsLines reads lines}, else its {@code BODY}. */
  List<String> body(Slice s, String mode) {
    return readsLines(mode) ? s.lines("LINE ") : s.lines("BODY ");
  }

  /**
   * Whether the agent sees the request body before {@code mode}'s call is decided (false where the app
   * streams it after the decision, so the model and the estimate are unknown then).
   */
  boolean decidesFromTheBody(String mode) {
    return true;
  }

  /** How many requests the client itself sends in {@code mode} for one call answered {@code status} (its own retries); 1 by default. */
  int attempts(String mode, int status) {
    return 1;
  }

  /** Client-specific checks of a metered JSON call in {@code mode} (a callback that completed, a header...); none by default. */
  void moreOnJson(Slice s, String mode) {}

  /** Client-specific checks of a stream in {@code mode}; none by default. */
  void moreOnStream(Slice s, String mode) {}

  /** Client-specific checks of a call blocked with a 402 in {@code mode} to {@code url}; none by default. */
  void moreOnBlocked(Slice s, String mode, String url) {}

  /** Client-specific checks of a call blocked in exception mode; none by default. */
  void moreOnThrown(Slice s, String mode) {}

  /** The request body the server receives from {@code mode} when the app was given {@code json} (a GET sends none). */
  String sentBody(String mode, String json) {
    return json;
  }

  /** Client-specific checks of an error answer ({@code 429}/{@code 500}) in {@code mode}; none by default. */
  void moreOnErrorAnswer(Slice s, String mode, int status) {}

  /**
   * Whether {@code mode} connects before the request's body exists (Vert.x takes its connection when
   * the app asks for the request object): a refused connection then fails before there is a call to
   * meter, so it is not recorded (nothing was reserved, nothing is held). False by default: the call
   * is metered, then its connection refused, and recorded {@code error}.
   */
  boolean connectsBeforeTheCall(String mode) {
    return false;
  }

  /** What a refused connection looks like to this client: one {@code ERROR} line naming {@code ConnectException}. */
  void assertRefused(Slice s, String mode) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().startsWith("java.net.ConnectException ");
  }

  /**
   * What a block in response mode looks like to this client, returning the block's JSON: by default a
   * 402 with {@code Tollgate-Blocked: true} and that JSON as its body. A client with no response object
   * Tollgate can stand in for fails the call instead, the JSON in its exception's message.
   */
  String assertBlockedAnswer(Slice s, String mode) {
    assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("402");
    assertThat(s.lines("BLOCKED ")).containsExactly("true");
    return String.join("", body(s, mode));
  }

  /**
   * For {@link #assertBlockedAnswer}: a block surfaced as the call's failure, one {@code ERROR} line
   * (the class and message of what the call threw) that is {@code prefix} then the 402's JSON, which is returned.
   */
  static String assertFailedWithTheBlock(Slice s, String prefix) {
    assertThat(s.lines("STATUS ")).as(s.toString()).isEmpty();
    List<String> errors = s.lines("ERROR ");
    assertThat(errors).singleElement().asString().startsWith(prefix + "{");
    return errors.get(0).substring(prefix.length());
  }

  /** What a block in exception mode looks like to this client: by default one {@code ERROR} line, the exception itself. */
  void assertThrownCreditsExhausted(Slice s, String endpoint) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString()
        .startsWith("dev.tollgate.api.CreditsExhaustedException Tollgate blocked this call to " + endpoint + " (gpt-4o-mini)");
  }

  // ---- the scenarios ----

  Iterable<String> variantNames() {
    return variants();
  }

  @ParameterizedTest
  @MethodSource("variantNames")
  void json_isMeteredAtExactCost(String variant) {
    for (String mode : jsonModes(variant)) {
      String openai = endpoint(variant, "json", mode, Provider.OPENAI);
      Slice s = slice(variant, Config.PLENTY, openai);
      assertThat(body(s, mode)).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
      assertThat(s.lines("STATUS ")).containsExactly("200");
      assertThat(s.agentLog()).isEmpty();
      moreOnJson(s, mode);
      assertThat(requests(openai)).extracting(ClientContractIT::sent).containsExactly(Fixtures.OPENAI_REQUEST);
      JsonNode rec = only(variant, Config.PLENTY, openai);
      assertThat(rec.get("status").asText()).isEqualTo("ok");
      assertThat(rec.get("operation").asText()).isEqualTo("chat");
      assertThat(rec.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
      assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
      assertThat(rec.get("cache_read_tokens").asLong()).isEqualTo(200);
      assertThat(rec.get("output_tokens").asLong()).isEqualTo(300);
      assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
      assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION); // the body was read for the estimate
      assertThat(rec.get("estimated").asBoolean()).isFalse();
      assertThat(rec.get("stream").asBoolean()).isFalse();
      assertThat(rec.get("http_status").asInt()).isEqualTo(200);
      assertThat(rec.get("request_id").asText()).isEqualTo("chatcmpl-it1");
      assertThat(rec.get("endpoint").asText()).isEqualTo(url(openai, Provider.OPENAI.path));

      String anthropic = endpoint(variant, "json", mode, Provider.ANTHROPIC);
      Slice a = slice(variant, Config.PLENTY, anthropic);
      assertThat(body(a, mode)).as(a.toString()).containsExactly(Fixtures.ANTHROPIC_JSON);
      JsonNode arec = only(variant, Config.PLENTY, anthropic);
      assertThat(arec.get("operation").asText()).isEqualTo("messages");
      assertThat(arec.get("input_tokens").asLong()).isEqualTo(3000);
      assertThat(arec.get("cache_write_tokens").asLong()).isEqualTo(2000);
      assertThat(arec.get("output_tokens").asLong()).isEqualTo(100);
      assertThat(arec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_JSON_COST);
    }
    assertThat(run(variant, Config.PLENTY).out.lines("ACTIVE ")).first().isEqualTo("true");
  }

  @ParameterizedTest
  @MethodSource("variantNames")
  void sse_streamsUnchanged_andIsMeteredFromTheUsageEvents(String variant) {
    for (String mode : streamModes(variant)) {
      String openai = endpoint(variant, "sse", mode, Provider.OPENAI);
      Slice s = slice(variant, Config.PLENTY, openai);
      assertThat(String.join("\n", s.lines("LINE ")) + "\n").as(s.toString()).isEqualTo(Fixtures.OPENAI_SSE);
      if (decidesFromTheBody(mode)) {
        assertThat(s.agentLog()).isEmpty();
      }
      assertThat(requests(openai)).extracting(ClientContractIT::sent).containsExactly(Fixtures.OPENAI_STREAM_REQUEST);
      moreOnStream(s, mode);
      JsonNode rec = only(variant, Config.PLENTY, openai);
      assertThat(rec.get("status").asText()).isEqualTo("ok");
      assertThat(rec.get("stream").asBoolean()).isTrue();
      assertThat(rec.get("input_tokens").asLong()).isEqualTo(50);
      assertThat(rec.get("output_tokens").asLong()).isEqualTo(20);
      assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
      assertThat(rec.get("request_id").asText()).isEqualTo("chatcmpl-s1");

      String anthropic = endpoint(variant, "sse", mode, Provider.ANTHROPIC);
      Slice a = slice(variant, Config.PLENTY, anthropic);
      assertThat(a.lines("LINE ")).as(a.toString()).contains("event: message_stop");
      assertThat(requests(anthropic)).extracting(ClientContractIT::sent).containsExactly(Fixtures.ANTHROPIC_STREAM_REQUEST);
      moreOnStream(a, mode);
      JsonNode arec = only(variant, Config.PLENTY, anthropic);
      assertThat(arec.get("stream").asBoolean()).isTrue();
      // Two message_delta events carry cumulative output counts (10, then 35): the last wins, never the sum.
      assertThat(arec.get("input_tokens").asLong()).isEqualTo(500);
      assertThat(arec.get("cache_read_tokens").asLong()).isEqualTo(100);
      assertThat(arec.get("output_tokens").asLong()).isEqualTo(35);
      assertThat(arec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
      assertThat(arec.get("request_id").asText()).isEqualTo("msg_it1");
    }
  }

  @ParameterizedTest
  @MethodSource("variantNames")
  void errorAnswersAndRefusedConnections_costNothing_andReleaseTheReservation(String variant) {
    for (String mode : errorModes(variant)) {
      for (String scenario : List.of("e429", "e500", "refused")) {
        String name = endpoint(variant, scenario, mode, Provider.OPENAI);
        Slice s = slice(variant, Config.PLENTY, name);
        switch (scenario) {
          case "e429":
            assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("429");
            assertThat(body(s, mode)).containsExactly(Fixtures.OPENAI_RATE_LIMITED);
            moreOnErrorAnswer(s, mode, 429);
            break;
          case "e500":
            assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("500");
            assertThat(body(s, mode)).containsExactly(Fixtures.OPENAI_SERVER_ERROR);
            moreOnErrorAnswer(s, mode, 500);
            break;
          default:
            assertRefused(s, mode);
            assertThat(s.lines("STATUS ")).isEmpty();
        }
        // After every call, answered or not: the whole budget is back and nothing is held.
        assertThat(s.after()).as(s.toString()).isEqualTo("1 0");
        assertThat(s.agentLog()).isEmpty();
        if (scenario.equals("refused") && connectsBeforeTheCall(mode)) {
          assertThat(records(variant, Config.PLENTY, name)).as("refused before the call existed").isEmpty();
          continue;
        }
        JsonNode rec = only(variant, Config.PLENTY, name);
        assertThat(rec.get("status").asText()).isEqualTo("error");
        assertThat(rec.get("http_status").asInt()).isEqualTo(scenario.equals("e429") ? 429 : scenario.equals("e500") ? 500 : 0);
        assertThat(rec.get("cost").decimalValue()).isZero();
        assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
      }
      // However often the client itself retries, the app's one call is one record (checked above).
      assertThat(requests(endpoint(variant, "e429", mode, Provider.OPENAI))).hasSize(attempts(mode, 429));
      assertThat(requests(endpoint(variant, "e500", mode, Provider.OPENAI))).hasSize(attempts(mode, 500));
    }
  }

  @ParameterizedTest
  @MethodSource("variantNames")
  void gzip_isDecodedForTheUsage_andMeteredAtExactCost(String variant) {
    Assumptions.assumeFalse(gzipModes(variant).isEmpty(), "this client's app has no gzip mode");
    for (String mode : gzipModes(variant)) {
      String name = endpoint(variant, "gzip", mode, Provider.OPENAI);
      Slice s = slice(variant, Config.PLENTY, name);
      assertThat(body(s, mode)).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
      assertThat(s.agentLog()).isEmpty();
      assertThat(requests(name)).singleElement().satisfies(r -> assertThat(r.getHeaders().get("Accept-Encoding")).contains("gzip"));
      JsonNode rec = only(variant, Config.PLENTY, name);
      assertThat(rec.get("status").asText()).isEqualTo("ok");
      assertThat(rec.get("estimated").asBoolean()).isFalse();
      assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
      assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    }
  }

  @ParameterizedTest
  @MethodSource("variantNames")
  void blocked_answers402_andNothingLeaves(String variant) {
    for (String mode : blockedModes(variant)) {
      String name = endpoint(variant, "blocked", mode, Provider.OPENAI);
      // The JVM's first block is logged, whichever client's it is (clients of SHARED_JVMS share the JVM).
      boolean first = run(variant, Config.ZERO).out.lines("BEGIN ").stream().filter(id -> id.contains("-blocked-")).findFirst()
          .orElseThrow().equals(name);
      Slice s = slice(variant, Config.ZERO, name);
      String body = assertBlockedAnswer(s, mode);
      JsonNode error = Journal.json(body).get("error");
      assertThat(error.get("type").asText()).isEqualTo("insufficient_credits");
      assertThat(error.get("code").asText()).isEqualTo("tollgate_blocked");
      if (decidesFromTheBody(mode)) {
        assertThat(error.get("message").asText()).contains("needs up to " + Fixtures.OPENAI_REQUEST_COUNTED
            + " credits and 0 are available");
        assertThat(s.lines("ONBLOCKED ")).containsExactly("gpt-4o-mini " + Fixtures.OPENAI_REQUEST_COUNTED);
      } else {
        assertThat(error.get("message").asText()).contains("credits and 0 are available");
        assertThat(s.lines("ONBLOCKED ")).hasSize(1);
      }
      if (first) {
        assertThat(s.agentLog()).as(s + "\n=== the whole JVM's stderr:\n" + run(variant, Config.ZERO).out.stderr).singleElement().asString()
            .contains("blocked a call to " + name);
      } else {
        assertThat(s.agentLog()).as("a block is logged once per JVM: " + s).noneMatch(l -> l.contains("blocked a call"));
      }
      assertThat(requests(name)).isEmpty();
      moreOnBlocked(s, mode, url(name, Provider.OPENAI.path));
      JsonNode rec = only(variant, Config.ZERO, name);
      assertThat(rec.get("status").asText()).isEqualTo("blocked");
      assertThat(rec.get("cost").decimalValue()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("variantNames")
  void nonMetered_passesThroughByteForByte_andIsNotRecorded(String variant) {
    Assumptions.assumeFalse(plainModes(variant).isEmpty(), "another variant of this client runs this scenario");
    for (String mode : plainModes(variant)) {
      // Another path on the same host, and a non-model path under a metered prefix, with a budget of 0.
      String other = plain(variant, mode);
      String listing = endpoint(variant, "listing", mode, Provider.OPENAI);
      for (String name : List.of(other, listing)) {
        Slice s = slice(variant, Config.ZERO, name);
        assertThat(body(s, mode)).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
        assertThat(s.agentLog()).isEmpty();
        assertThat(requests(name)).extracting(ClientContractIT::sent).containsExactly(sentBody(mode, Fixtures.OPENAI_REQUEST));
        // Byte for byte what the same app prints, and sends, without the agent.
        Slice bare = slice(variant, Config.NO_AGENT, BARE + name);
        assertThat(s.appLines()).isEqualTo(bare.appLines());
        assertThat(requests(BARE + name)).hasSize(1);
        assertThat(wire(requests(name).get(0), name)).isEqualTo(wire(requests(BARE + name).get(0), BARE + name));
      }
      assertThat(journal(variant, Config.ZERO)).noneSatisfy(rec -> assertThat(rec.get("endpoint").asText()).contains("/" + other + "/"));
      assertThat(records(variant, Config.ZERO, listing)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("variantNames")
  void blockedInExceptionMode_throwsCreditsExhausted_andNothingLeaves(String variant) {
    Assumptions.assumeFalse(exceptionModes(variant).isEmpty(), "another variant of this client runs this scenario");
    for (String mode : exceptionModes(variant)) {
      String name = endpoint(variant, "thrown", mode, Provider.OPENAI);
      Slice s = slice(variant, Config.EXCEPTION, name);
      assertThrownCreditsExhausted(s, name);
      moreOnThrown(s, mode);
      assertThat(s.lines("STATUS ")).isEmpty();
      assertThat(requests(name)).isEmpty();
      assertThat(only(variant, Config.EXCEPTION, name).get("status").asText()).isEqualTo("blocked");
    }
  }

  // ---- the machinery ----

  /** The id prefix of the calls repeated without the agent. */
  private static final String BARE = "bare-";

  /** The body of a request as the server received it; empty for none (a GET). */
  static String sent(RecordedRequest r) {
    return r.getBody() == null ? "" : r.getBody().utf8();
  }

  /** A request as the server saw it, its first path segment (the scenario's id) taken out. */
  private static String wire(RecordedRequest r, String id) {
    return r.getMethod() + " " + r.getUrl().encodedPath().replaceFirst("^/" + id + "/", "/") + "\n" + r.getHeaders() + "\n" + sent(r);
  }

  /**
   * Clients that run on the same classpaths and need no JVM setting of their own share their JVMs: one
   * JVM per variant and configuration makes every call of the group's clients (the error calls of all
   * first, so each sees the whole budget), each under its own endpoints. Each client's class still
   * checks only its own calls. A group saves a JVM per variant and configuration per member after the first.
   */
  static final List<List<Class<? extends ClientContractIT>>> SHARED_JVMS = List.of(
      List.of(JdkHttpContractIT.class, HttpUrlConnectionContractIT.class),
      List.of(ApacheHttpClientContractIT.class, ApacheAsyncContractIT.class));

  /** The contract classes whose calls this class's JVMs make: its group in {@link #SHARED_JVMS}, or itself alone. */
  private List<Class<? extends ClientContractIT>> group() {
    return SHARED_JVMS.stream().filter(g -> g.contains(getClass())).findFirst().orElse(List.of(getClass()));
  }

  /** What a group's classes share: one loopback server (answers and received requests by endpoint), the forked JVMs and their data dirs. */
  private static final class Jvms {
    private static final Map<String, Jvms> GROUPS = new java.util.HashMap<>();
    final MockWebServer server = new MockWebServer();
    final EndpointDispatcher endpoints = new EndpointDispatcher();
    final Map<String, Run> runs = new java.util.concurrent.ConcurrentHashMap<>();
    /** Members whose tests have not ended yet: the last one closes the server (else the JVM's end: a member run alone). */
    private int open;
    private boolean started;
    private boolean closed;
    int refusedPort;
    Path tmp = Path.of("");

    static synchronized Jvms of(List<Class<? extends ClientContractIT>> group) {
      return GROUPS.computeIfAbsent(group.get(0).getName(), k -> {
        Jvms jvms = new Jvms();
        jvms.open = group.size();
        return jvms;
      });
    }

    synchronized void start() throws IOException {
      if (started) {
        return;
      }
      started = true;
      server.setDispatcher(endpoints);
      server.start();
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        refusedPort = s.getLocalPort(); // free a moment ago: connecting to it is refused
      }
      tmp = Files.createTempDirectory("contract");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          close();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
    }

    synchronized void memberEnded() throws IOException {
      if (--open == 0) {
        close();
      }
    }

    private synchronized void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      server.close();
      try (java.util.stream.Stream<Path> all = Files.walk(tmp)) {
        for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  private final Jvms jvms = Jvms.of(group());
  final MockWebServer server = jvms.server;
  private final EndpointDispatcher endpoints = jvms.endpoints;

  @BeforeAll
  void startServer() throws Exception {
    jvms.start();
  }

  @AfterAll
  void stopServer() throws IOException {
    jvms.memberEnded();
  }

  /**
   * The name, and first path segment, of one (client, variant, scenario, mode, provider): unique across
   * the JVMs of a {@linkplain #SHARED_JVMS group} of clients, which share one server.
   */
  String endpoint(String variant, String scenario, String mode, Provider p) {
    return client() + "-" + variant + "-" + scenario + "-" + mode + "-" + p.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The endpoint of a non-metered path (another path on the same host). */
  private String plain(String variant, String mode) {
    return client() + "-" + variant + "-plain-" + mode;
  }

  /** This client's prefix of its endpoints: its app's name ({@code OkHttpApp}: {@code okhttp}). */
  private String client() {
    return app().getSimpleName().replaceFirst("App$", "").toLowerCase(java.util.Locale.ROOT);
  }

  String url(String endpoint, String path) {
    String base = endpoint.contains("-refused-") ? "http://127.0.0.1:" + jvms.refusedPort : server.url("/").toString().replaceAll("/$", "");
    return base + "/" + endpoint + path;
  }

  /** The requests the server received for one endpoint (its first path segment). */
  List<RecordedRequest> requests(String endpoint) {
    return endpoints.received(endpoint);
  }

  /** One call of the script: its id is its endpoint's name, which is also its first path segment. */
  private final class Call {
    final String id;
    final List<String> argv;
    final Provider provider;
    final Class<?> app = app();

    Call(String variant, String id, Provider provider, String mode, String path, String json, Supplier<MockResponse> answer) {
      this.id = id;
      this.provider = provider;
      this.argv = args(variant, mode, url(id, path), json);
      endpoints.answer(id, answer);
    }
  }

  /** The calls answered with an error or refused (in the {@link Config#PLENTY} JVM, before any call that spends). */
  private List<Call> errorCalls(String variant) {
    List<Call> calls = new ArrayList<>();
    for (String mode : errorModes(variant)) {
      calls.add(new Call(variant, endpoint(variant, "e429", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
          Fixtures.OPENAI_REQUEST,
          () -> Fixtures.error(429, Fixtures.OPENAI_RATE_LIMITED)));
      calls.add(new Call(variant, endpoint(variant, "e500", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
          Fixtures.OPENAI_REQUEST,
          () -> Fixtures.error(500, Fixtures.OPENAI_SERVER_ERROR)));
      calls.add(new Call(variant, endpoint(variant, "refused", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
          Fixtures.OPENAI_REQUEST,
          () -> Fixtures.json(Fixtures.OPENAI_JSON)));
    }
    return calls;
  }

  /** Every other call of a configuration, in the order the JVM makes them. */
  private List<Call> script(String variant, Config config) {
    List<Call> calls = new ArrayList<>();
    switch (config) {
      case PLENTY:
        for (String mode : jsonModes(variant)) {
          calls.add(new Call(variant, endpoint(variant, "json", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
              Fixtures.OPENAI_REQUEST,
              () -> Fixtures.json(Fixtures.OPENAI_JSON)));
          calls.add(new Call(variant, endpoint(variant, "json", mode, Provider.ANTHROPIC), Provider.ANTHROPIC, mode, "/v1/messages",
              Fixtures.ANTHROPIC_REQUEST,
              () -> Fixtures.json(Fixtures.ANTHROPIC_JSON)));
        }
        for (String mode : streamModes(variant)) {
          calls.add(new Call(variant, endpoint(variant, "sse", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
              Fixtures.OPENAI_STREAM_REQUEST,
              () -> Fixtures.sse(Fixtures.OPENAI_SSE)));
          calls.add(new Call(variant, endpoint(variant, "sse", mode, Provider.ANTHROPIC), Provider.ANTHROPIC, mode, "/v1/messages",
              Fixtures.ANTHROPIC_STREAM_REQUEST,
              () -> Fixtures.sse(Fixtures.ANTHROPIC_SSE)));
        }
        for (String mode : gzipModes(variant)) {
          calls.add(new Call(variant, endpoint(variant, "gzip", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
              Fixtures.OPENAI_REQUEST,
              () -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").addHeader("Content-Encoding", "gzip")
                  .body(gzip(Fixtures.OPENAI_JSON)).build()));
        }
        for (OwnCall own : ownCalls(variant)) {
          calls.add(new Call(variant, own.id, Provider.OPENAI, own.mode, "/v1/chat/completions", own.json, own.answer));
        }
        break;
      case ZERO:
        for (String mode : plainModes(variant)) {
          calls.add(new Call(variant, plain(variant, mode), null, mode, "/other/chat/completions", Fixtures.OPENAI_REQUEST,
              () -> Fixtures.json(Fixtures.OPENAI_JSON)));
          calls.add(new Call(variant, endpoint(variant, "listing", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/models",
              Fixtures.OPENAI_REQUEST,
              () -> Fixtures.json(Fixtures.OPENAI_JSON)));
        }
        for (String mode : blockedModes(variant)) {
          calls.add(new Call(variant, endpoint(variant, "blocked", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
              Fixtures.OPENAI_REQUEST,
              () -> Fixtures.json(Fixtures.OPENAI_JSON)));
        }
        break;
      case NO_AGENT:
        for (String mode : plainModes(variant)) {
          calls.add(new Call(variant, BARE + plain(variant, mode), null, mode, "/other/chat/completions", Fixtures.OPENAI_REQUEST,
              () -> Fixtures.json(Fixtures.OPENAI_JSON)));
          calls.add(new Call(variant, BARE + endpoint(variant, "listing", mode, Provider.OPENAI), null, mode, "/v1/models",
              Fixtures.OPENAI_REQUEST,
              () -> Fixtures.json(Fixtures.OPENAI_JSON)));
        }
        break;
      default:
        for (String mode : exceptionModes(variant)) {
          calls.add(new Call(variant, endpoint(variant, "thrown", mode, Provider.OPENAI), Provider.OPENAI, mode, "/v1/chat/completions",
              Fixtures.OPENAI_REQUEST,
              () -> Fixtures.json(Fixtures.OPENAI_JSON)));
        }
    }
    return calls;
  }

  /**
   * The forked JVM of one variant and configuration, run once with its whole script: the calls of every
   * class of this class's {@linkplain #SHARED_JVMS group} (the first test of any of them to need it forks it).
   */
  Run run(String variant, Config config) {
    return jvms.runs.computeIfAbsent(variant + "/" + config, k -> {
      try {
        Path dir = jvms.tmp.resolve(variant + "-" + config.name().toLowerCase(java.util.Locale.ROOT));
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dir);
        List<ClientContractIT> members = new ArrayList<>();
        for (Class<? extends ClientContractIT> c : group()) {
          members.add(c == getClass() ? this : c.getDeclaredConstructor().newInstance());
        }
        List<Call> calls = new ArrayList<>();
        if (config == Config.PLENTY) {
          members.forEach(m -> calls.addAll(m.errorCalls(variant)));
        }
        members.forEach(m -> calls.addAll(m.script(variant, config)));
        Fork fork = Fork.app(variant, ScenarioDriver.class).prop("tollgate.data-dir", dataDir).args("--listen")
            .countedAs(group().stream().map(Class::getName).collect(Collectors.joining("+")));
        for (Call c : calls) {
          if (c.provider != null) {
            fork.endpoint(c.id, url(c.id, c.provider.base), c.provider.format);
          }
        }
        fork.prop("tollgate.budget", config == Config.PLENTY ? "1" : "0");
        if (config != Config.PLENTY) {
          fork.prop("tollgate.tokenizer", "heuristic"); // the counted estimate in the 402's message stays the same however many calls came before
        }
        if (config == Config.EXCEPTION) {
          fork.prop("tollgate.block-mode", "exception");
        }
        if (config == Config.NO_AGENT) {
          fork.withoutAgent();
        }
        customize(fork, variant);
        Path script = dir.resolve("script.tsv");
        Files.write(script, calls.stream().map(c -> c.id + "\t" + c.app.getName() + "\t" + String.join("\t", c.argv)).collect(Collectors
            .toList()));
        Fork.Result out = fork.stdin(script).run(300);
        assertThat(out.exit).as(out.toString()).isZero();
        assertThat(out.lines("DONE")).as(out.toString()).hasSize(1);
        assertThat(out.lines("FAILED ")).as(out.toString()).isEmpty();
        return new Run(out, dataDir);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("a class of " + group() + " cannot be made", e);
      }
    });
  }

  Slice slice(String variant, Config config, String id) {
    return run(variant, config).slice(id);
  }

  List<JsonNode> journal(String variant, Config config) {
    return run(variant, config).journal;
  }

  List<JsonNode> records(String variant, Config config, String endpoint) {
    return journal(variant, config).stream().filter(r -> r.get("provider").asText().equals(endpoint)).collect(Collectors.toList());
  }

  JsonNode only(String variant, Config config, String endpoint) {
    List<JsonNode> all = records(variant, config, endpoint);
    assertThat(all).as("journal records of " + endpoint).hasSize(1);
    return all.get(0);
  }

  private static Buffer gzip(String text) {
    Buffer out = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(out))) {
      sink.writeUtf8(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /** One forked JVM's output and journal. */
  static final class Run {
    final Fork.Result out;
    final List<JsonNode> journal;

    Run(Fork.Result out, Path dataDir) {
      this.out = out;
      this.journal = Journal.records(dataDir);
    }

    Slice slice(String id) {
      return new Slice(id, between(out.stdout, id), between(out.stderr, id));
    }

    private static List<String> between(String text, String id) {
      List<String> lines = new ArrayList<>();
      boolean in = false;
      for (String line : text.split("\n")) {
        if (line.equals("BEGIN " + id)) {
          in = true;
        } else if (line.equals("END " + id)) {
          return lines;
        } else if (in) {
          lines.add(line);
        }
      }
      throw new AssertionError("no complete run of " + id + " in:\n" + text);
    }
  }

  /** What one app run printed between {@code BEGIN id} and {@code END id}. */
  static final class Slice {
    final String id;
    final List<String> stdout;
    final List<String> stderr;

    Slice(String id, List<String> stdout, List<String> stderr) {
      this.id = id;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    List<String> lines(String prefix) {
      return stdout.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim()).collect(Collectors.toList());
    }

    /** What the app printed, less the lines that differ with and without the agent ({@code ACTIVE}, {@code AFTER}). */
    List<String> appLines() {
      return stdout.stream().filter(l -> !l.startsWith("ACTIVE ") && !l.startsWith("AFTER ")).collect(Collectors.toList());
    }

    List<String> agentLog() {
      return stderr.stream().filter(l -> l.startsWith("[tollgate]")).collect(Collectors.toList());
    }

    /** {@code balance open-reservations} once the app's run ended. */
    String after() {
      List<String> after = lines("AFTER ");
      assertThat(after).as(toString()).hasSize(1);
      return after.get(0);
    }

    @Override
    public String toString() {
      return id + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n" + String.join("\n", stderr);
    }
  }
}
