package dev.tollgate.sample;

import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateScope;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Tollgate's demo, with no key and no internet: it starts a fake OpenAI- and Anthropic-compatible
 * provider on 127.0.0.1 ({@link FakeProviders}), then makes real calls through real clients in a
 * loop (openai-java plain and streaming, and plain OkHttp in Anthropic's format) until the agent
 * blocks one. With {@code -javaagent:tollgate-agent.jar} and a small {@code tollgate.budget}, each
 * call is priced from the provider's own usage and a listener prints it; the balance falls call by
 * call; and when the next call's worst case no longer fits, the agent answers it with a synthetic
 * HTTP 402 that openai-java surfaces as an exception (and does not retry) and OkHttp as a response.
 * The fake server's request counter shows the blocked call never left the JVM. Without the agent the
 * same code runs unmetered, stopping at a cap of {@value #MAX_CALLS} calls.
 */
public final class SampleApp {
  static final int MAX_CALLS = 40;
  private static final int WIDTH = 100;

  private SampleApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.getInteger("sample.port", 0);
    try (FakeProviders fake = FakeProviders.start(port); DemoCalls calls = new DemoCalls(fake.port())) {
      say("Fake OpenAI and Anthropic APIs on http://127.0.0.1:%d (no key, no internet)", fake.port());
      PrintingListener listener = attach();
      run(fake, calls, listener);
      if (listener != null) {
        listener.printByTenant();
        String dir = dataDir();
        say("The journal of this run is in %s:", dir);
        say("    java -jar tollgate-agent.jar report --data-dir %s", dir);
      }
    }
  }

  /** Where the agent journals, as it resolves {@code tollgate.data-dir} (system property, environment, default). */
  static String dataDir() {
    String dir = System.getProperty("tollgate.data-dir");
    if (dir == null) {
      dir = System.getenv("TOLLGATE_DATA_DIR");
    }
    return java.nio.file.Path.of(dir != null ? dir : System.getProperty("user.home") + "/.tollgate").toAbsolutePath().toString();
  }

  private static @Nullable PrintingListener attach() {
    if (!Tollgate.isActive()) {
      boolean attached = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("tollgate"));
      if (attached) {
        say("Note: the Tollgate agent is attached but not metering (its [tollgate] line above says why),");
        say("      so nothing is metered or blocked.");
      } else {
        say("Note: the Tollgate agent is not attached, so nothing is metered or blocked.");
        say("      Run `./mvnw -q -Pdemo -pl sample-app -am package -DskipTests` to see it at work.");
      }
      return null;
    }
    PrintingListener listener = new PrintingListener();
    Tollgate.addListener(listener);
    say("Tollgate agent attached: balance %s credits", credits(Tollgate.balance().balanceCredits()));
    return listener;
  }

  private static void run(FakeProviders fake, DemoCalls calls, @Nullable PrintingListener listener)
      throws Exception {
    for (int n = 1; n <= MAX_CALLS; n++) {
      int before = fake.requestCount();
      String tenant = tenant(n);
      DemoCalls.Result result;
      // Two tenants take turns; every metered call started inside the scope carries its tenant.
      try (TollgateScope scope = Tollgate.scope("tenant", tenant)) {
        result = call(calls, n);
      }
      if (result.blocked && listener != null) {
        listener.blockedFor(tenant);
      }
      if (!result.blocked) {
        say("    %s%s", result.lines.get(0), listener == null ? "" : "   " + balance());
        continue;
      }
      result.lines.forEach(line -> wrap("    ", line));
      explainBlock(fake, before, listener);
      if (n < MAX_CALLS && listener != null && listener.blockedByScope()) {
        // A tenant's own budget stops that tenant only: the other goes on.
        String other = tenant(n + 1);
        say("Tenant %s is blocked by its own budget; tenant %s goes on:", tenant, other);
        try (TollgateScope scope = Tollgate.scope("tenant", other)) {
          DemoCalls.Result next = call(calls, n + 1);
          say("    %s%s", next.lines.get(0), listener == null || next.blocked ? "" : "   " + balance());
        }
        say("Stopped after the first blocked call and one more call for tenant %s.", other);
        return;
      }
      say("Stopped at the first blocked call.");
      return;
    }
    say("No call was blocked in %d calls (the demo's cap), so it stops here.", MAX_CALLS);
  }

  /** The tenant the demo's call {@code n} is made for. */
  static String tenant(int n) {
    return n % 2 == 1 ? "acme" : "globex";
  }

  private static DemoCalls.Result call(DemoCalls calls, int n) throws Exception {
    switch (n % 3) {
      case 1:
        say("#%d openai-java chat completion, gpt-4o-mini, max %d tokens", n, DemoCalls.OPENAI_MAX_TOKENS);
        return calls.openAiChat(n);
      case 2:
        say("#%d openai-java streaming chat, gpt-4o-mini, max %d tokens", n, DemoCalls.OPENAI_MAX_TOKENS);
        return calls.openAiStream(n);
      default:
        say("#%d OkHttp POST /messages, claude-3-5-haiku, max %d tokens", n, DemoCalls.ANTHROPIC_MAX_TOKENS);
        return calls.anthropicMessage(n);
    }
  }

  private static void explainBlock(FakeProviders fake, int before, @Nullable PrintingListener listener) {
    int after = fake.requestCount();
    if (listener != null) {
      say("    %s", balance());
    }
    say("    fake server requests: %d before, %d after: the blocked call never left the JVM", before, after);
    int attempts = listener == null ? 0 : listener.blockedAttempts();
    if (attempts == 1) {
      say("    the agent blocked 1 attempt: the client did not retry it");
    } else if (attempts > 1) {
      say("    the agent blocked %d attempts: the client retried, and each retry was blocked too", attempts);
    }
  }

  private static String balance() {
    return "balance " + credits(Tollgate.balance().balanceCredits());
  }

  /** Prints {@code text} in lines of at most {@value #WIDTH} characters, each starting with {@code indent}. */
  private static void wrap(String indent, String text) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        System.out.println(line);
        line.setLength(0);
        line.append(indent).append("  ");
      }
      line.append(line.toString().isBlank() ? "" : " ").append(word);
    }
    System.out.println(line);
  }

  /** Credits exactly, as the journal and the report have them. */
  static String credits(BigDecimal amount) {
    return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }
}
