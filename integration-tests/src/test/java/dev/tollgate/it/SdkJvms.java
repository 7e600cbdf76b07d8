package dev.tollgate.it;

import dev.tollgate.it.apps.ScenarioDriver;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.MockResponse;

/**
 * The three JVMs of an SDK's IT ({@link SharedJvms}): its JSON call and its stream metered ({@code json},
 * {@code stream}), the same blocked with a budget of 0 ({@code blocked-json}, {@code blocked-stream}) beside a
 * call outside the metered endpoints ({@code outside}), and that call again without the agent
 * ({@code bare-outside}). The subclass names the SDK's app, its modes and answers.
 */
abstract class SdkJvms extends SharedJvms<SdkJvms.Jvm> {

  enum Jvm {
    /** No budget set. */
    METERED,
    /** Budget 0: the blocked calls, and a call outside the metered endpoints. */
    ZERO,
    /** No agent: the call outside the metered endpoints again. */
    NO_AGENT
  }

  /** The it-classpath of the SDK. */
  abstract String classpath();

  /** The app under {@code apps/}, run as {@code app MODE BASE_URL}. */
  abstract Class<?> app();

  /** The format of the SDK's endpoints. */
  abstract String format();

  /** The SDK's base URL for endpoint {@code id}, also the endpoint's configured URL. */
  abstract String base(String id);

  /** The app's mode that makes a JSON call, and the one that reads a stream. */
  abstract String jsonMode();

  abstract String streamMode();

  /** The mode of the call outside the metered endpoints: the JSON or the stream mode. */
  abstract String outsideMode();

  /** The provider's JSON answer and stream answer. */
  abstract MockResponse json();

  abstract MockResponse sse();

  @Override
  Script script(Jvm jvm) {
    Script script = new Script();
    switch (jvm) {
      case METERED:
        call(script, "json", jsonMode());
        call(script, "stream", streamMode());
        break;
      case ZERO:
        call(script, "blocked-json", jsonMode());
        call(script, "blocked-stream", streamMode());
        call(script, "outside", outsideMode());
        break;
      default:
        call(script, "bare-outside", outsideMode());
    }
    return script;
  }

  private void call(Script script, String id, String mode) {
    answer(id, () -> mode.equals(streamMode()) ? sse() : json());
    script.add(id, app(), mode, base(id));
  }

  @Override
  Fork fork(Jvm jvm, Path dataDir, List<String> ids) {
    Fork fork = Fork.app(classpath(), ScenarioDriver.class).prop("tollgate.data-dir", dataDir);
    for (String id : ids) {
      if (!id.contains("outside")) { // the same host, another base path: not a metered endpoint
        fork.endpoint(id, base(id), format());
      }
    }
    if (jvm == Jvm.ZERO) {
      fork.prop("tollgate.budget", "0");
    } else if (jvm == Jvm.NO_AGENT) {
      fork.withoutAgent();
    }
    return fork;
  }
}
