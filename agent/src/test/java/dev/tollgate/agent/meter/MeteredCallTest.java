package dev.tollgate.agent.meter;

import dev.tollgate.agent.usage.Formats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.pricing.PriceCatalog;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.pricing.Quoter;
import dev.tollgate.agent.usage.RequestInfo;
import dev.tollgate.agent.usage.TokenCounter;
import dev.tollgate.agent.wallet.BalanceCache;
import dev.tollgate.agent.wallet.LocalCreditSource;
import dev.tollgate.agent.wallet.Wallet;
import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.UsageRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One call from hook to record, on the recorded responses of the edge cases: what is journaled
 * (status, tokens, exact cost, {@code estimated}) and that the application reads its body
 * unchanged. Prices come from a pricing file here, so the costs do not move with the catalog.
 */
class MeteredCallTest {
  private static final String PRICES = "{\"models\":{"
      + "\"gpt-4o-2024-11-20\":{\"provider\":\"openai\",\"input\":2.50,\"cached_input\":1.25,\"output\":10.00,\"max_output_tokens\":16384},"
      + "\"gpt-4o-mini-2024-07-18\":{\"provider\":\"openai\",\"input\":0.15,\"cached_input\":0.075,\"output\":0.60,\"max_output_tokens\":16384},"
      + "\"o4-mini-2025-04-16\":{\"provider\":\"openai\",\"input\":1.10,\"cached_input\":0.275,\"output\":4.40,\"max_output_tokens\":100000},"
      + "\"claude-sonnet-4-20250514\":{\"provider\":\"anthropic\",\"input\":3,\"cached_input\":0.30,\"cache_write\":3.75,\"cache_write_1h\":6,"
      + "\"output\":15,\"max_output_tokens\":64000}},"
      + "\"fallback\":{\"input\":10.00,\"output\":40.00,\"max_output_tokens\":8192}}";
  private static final String CHAT_REQUEST = "{\"model\":\"gpt-4o-mini-2024-07-18\",\"max_tokens\":100,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hi in one word, please, and nothing else.\"}]}";

  @TempDir
  Path dir;
  private final List<UsageRecord> records = new CopyOnWriteArrayList<>();
  private final List<BlockedCall> blocks = new CopyOnWriteArrayList<>();
  private UsageJournal journal;
  private Wallet wallet;
  private Meter meter;
  private TollgateConfig config;
  private PriceCatalog prices;
  private Listeners listeners;

  @BeforeEach
  void start() throws IOException {
    Path prices = Files.writeString(dir.resolve("prices.json"), PRICES);
    config = TollgateConfig.load(ConfigSource.of(Map.of("tollgate.data-dir", dir.toString()), Map.of(), Map.of()));
    journal = UsageJournal.open(dir);
    listeners = new Listeners();
    listeners.add(new TollgateListener() {
      @Override
      public void onUsage(UsageRecord record) {
        records.add(record);
      }

      @Override
      public void onBlocked(BlockedCall call) {
        blocks.add(call);
      }
    });
    this.prices = PriceCatalog.load(prices);
    meter = meter(new Wallet(0, null));
  }

  /** A meter on {@code wallet}, which the test's assertions then look at. */
  private Meter meter(Wallet wallet) {
    this.wallet = wallet;
    return new Meter(config, EndpointCatalog.builtIn(), prices, wallet, journal, listeners,
        new LowBalanceMonitor(wallet, 0, listeners), Clock.fixed(Instant.parse("2025-09-02T10:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    journal.close();
  }

  @Test
  void rateLimitError_isRecordedAsErrorWithZeroCostAndReleasesTheReservation() {
    byte[] body = resource("openai/error-429.json");

    byte[] read = call("https://api.openai.com/v1/chat/completions", CHAT_REQUEST, 429, "application/json", null, body);

    UsageRecord r = onlyRecord();
    assertThat(read).isEqualTo(body);
    assertThat(r.status()).isEqualTo(UsageRecord.Status.ERROR);
    assertThat(r.httpStatus()).isEqualTo(429);
    assertThat(r.cost()).isEqualByComparingTo("0");
    assertThat(r.inputTokens()).isZero();
    assertThat(wallet.reservedNanos()).isZero();
    assertThat(wallet.spentNanos()).isZero();
  }

  @Test
  void overloadedError_isRecordedAsErrorWithZeroCost() {
    byte[] body = resource("anthropic/error-529.json");
    String request = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    call("https://api.anthropic.com/v1/messages", request, 529, "application/json", null, body);

    UsageRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(UsageRecord.Status.ERROR);
    assertThat(r.httpStatus()).isEqualTo(529);
    assertThat(r.cost()).isEqualByComparingTo("0");
    assertThat(wallet.reservedNanos()).isZero();
  }

  @Test
  void responseWithoutUsage_isRecordedEstimatedFromRequestAndResponseSizes() {
    byte[] body = resource("openai/chat-completion-no-usage.json");

    call("https://api.openai.com/v1/chat/completions", CHAT_REQUEST, 200, "application/json", null, body);

    UsageRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(UsageRecord.Status.OK);
    assertThat(r.estimated()).isTrue();
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.inputTokens()).isPositive();
    assertThat(r.outputTokens()).isEqualTo(Math.min((body.length + 3) / 4, 100));
    assertThat(r.cost()).isPositive();
  }

  @Test
  void malformedResponse_isRecordedEstimatedAndTheApplicationGetsEveryByte() {
    byte[] body = resource("openai/chat-completion-malformed.json");

    byte[] read = call("https://api.openai.com/v1/chat/completions", CHAT_REQUEST, 200, "application/json", null, body);

    UsageRecord r = onlyRecord();
    assertThat(read).isEqualTo(body);
    assertThat(r.estimated()).as("the 12 read before the error page are no usage to trust").isTrue();
    assertThat(r.inputTokens()).isNotEqualTo(12);
  }

  @Test
  void gzipBodyTheClientDidNotDecode_isReadExactlyAndReachesTheApplicationUnchanged() {
    byte[] gzip = gzip(resource("azure/chat-stream-include-usage.sse"));
    String url = "https://acme.openai.azure.com/openai/deployments/mini/chat/completions?api-version=2024-10-21";
    String request = "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    byte[] read = call(url, request, 200, "text/event-stream; charset=utf-8", "gzip", gzip);

    UsageRecord r = onlyRecord();
    assertThat(read).isEqualTo(gzip);
    assertThat(r.provider()).isEqualTo("azure");
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.inputTokens()).isEqualTo(1342);
    assertThat(r.cacheReadTokens()).isEqualTo(1152);
    assertThat(r.outputTokens()).isEqualTo(10);
    assertThat(r.estimated()).isFalse();
    assertThat(r.unpriced()).isFalse();
    // 190 × 0.15 + 1152 × 0.075 + 10 × 0.60 per million
    assertThat(r.cost()).isEqualByComparingTo("0.0001209");
    assertThat(r.endpoint()).isEqualTo("https://acme.openai.azure.com/openai/deployments/mini/chat/completions");
  }

  @Test
  void bedrockInvokeWhoseBodyCountsNothing_takesBedrocksTokenCountHeaders() {
    String url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/cohere.embed-english-v3/invoke";
    byte[] request = "{\"texts\":[\"hello there\"],\"input_type\":\"search_document\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = resource("bedrock/invoke-cohere-embed.json");
    CallHandle handle = meter.begin(meter.classify("POST", url), url, request, request.length);

    handle.onUsageHeaders(5, -1);
    InputStream tapped = handle.onResponse(new dev.tollgate.agent.bootstrap.ResponseInfo(200, "application/json", null),
        new ByteArrayInputStream(body));
    try (InputStream in = tapped) {
      in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    UsageRecord r = onlyRecord();
    assertThat(r.provider()).isEqualTo("bedrock");
    assertThat(r.model()).isEqualTo("cohere.embed-english-v3");
    assertThat(r.operation()).isEqualTo("invoke");
    assertThat(r.estimated()).isFalse();
    assertThat(r.inputTokens()).isEqualTo(5);
    assertThat(r.outputTokens()).isZero();
    assertThat(r.cost()).isEqualByComparingTo("0.0000005"); // 5 × 0.10 per million
  }

  @Test
  void aSettledCall_givesUpTheWatchOnItsBody_whileAnUnsettledOneKeepsIt() throws IOException {
    // A watch left registered after the settle cost every call a phantom reference for the collector
    // and a wake-up of the cleaner's thread: a metered call took 3x the CPU in MeteredCallBenchmark.
    String url = "https://api.openai.com/v1/chat/completions";
    byte[] request = CHAT_REQUEST.getBytes(StandardCharsets.UTF_8);
    byte[] body = resource("openai/chat-completion.json");
    MeteredCall read = (MeteredCall) meter.begin(meter.classify("POST", url), url, request, request.length);
    MeteredCall dropped = (MeteredCall) meter.begin(meter.classify("POST", url), url, request, request.length);

    InputStream tapped = read.onResponse(new ResponseInfo(200, "application/json", null), new ByteArrayInputStream(body));
    InputStream unread = dropped.onResponse(new ResponseInfo(200, "application/json", null), new ByteArrayInputStream(body));
    assertThat(read.watched()).isTrue();
    try (InputStream in = tapped) {
      in.readAllBytes();
    }

    assertThat(read.watched()).as("settled at the end of the body").isFalse();
    assertThat(dropped.watched()).as("not settled: the watch settles it if the app drops it").isTrue();
    assertThat(onlyRecord().status()).isEqualTo(UsageRecord.Status.OK);
    unread.close();
    assertThat(dropped.watched()).isFalse();
  }

  @Test
  void azureDeploymentWithoutModel_reservesAtTheFallbackAndPricesTheModelTheResponseNames() {
    String url = "https://acme-eastus.openai.azure.com/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21";
    String request = "{\"messages\":[{\"role\":\"user\",\"content\":\"Which model answers?\"}],\"max_tokens\":200}";

    call(url, request, 200, "application/json", null, resource("azure/chat-completion.json"));

    UsageRecord r = onlyRecord();
    assertThat(r.model()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(r.requestId()).isEqualTo("chatcmpl-CECNPq0mZb3kX7vT2yHd8sWfJ1uLa");
    assertThat(r.unpriced()).isFalse();
    // 307 × 2.50 + 2304 × 1.25 + 14 × 10.00 per million
    assertThat(r.cost()).isEqualByComparingTo("0.0037875");
    // The deployment "prod-chat" has no price: reserved at the fallback, 200 output tokens at 40.00 and more.
    assertThat(r.reservation()).isGreaterThan(new BigDecimal("0.008"));
  }

  @Test
  void oneHourCacheWrites_areJournaledApart_soTheRecordRecomputesTheSettledCost_andAreReservedAtTheOneHourRate() {
    String request = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1000,\"system\":[{\"type\":\"text\","
        + "\"text\":\"You answer questions about the attached handbook.\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    byte[] body = ("{\"id\":\"msg_1h\",\"type\":\"message\",\"model\":\"claude-sonnet-4-20250514\",\"stop_reason\":\"end_turn\","
        + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":5}}")
        .getBytes(StandardCharsets.UTF_8);

    call("https://api.anthropic.com/v1/messages", request, 200, "application/json", null, body);

    UsageRecord r = onlyRecord();
    assertThat(r.cacheWriteTokens()).isEqualTo(3000);
    assertThat(r.cacheWrite1hTokens()).isEqualTo(2000);
    // 12 x 3 + 1000 x 3.75 + 2000 x 6 + 5 x 15 per million
    assertThat(r.cost()).isEqualByComparingTo("0.015861");
    dev.tollgate.agent.usage.Usage fromRecord = new dev.tollgate.agent.usage.Usage(r.inputTokens(), r.outputTokens(),
        r.cacheReadTokens(), r.cacheWriteTokens(), r.cacheWrite1hTokens(), r.reasoningTokens(), null);
    assertThat(prices.find("anthropic", r.model()).costUsd(fromRecord)).isEqualByComparingTo(r.cost());
    // The request asks for the 1-hour cache: every input token reserved at the 1-hour write rate (6), not 3.75.
    long input = RequestInfo.preflight(Formats.ANTHROPIC, request.getBytes(StandardCharsets.UTF_8), request.length(),
        null).estimatedInputTokens;
    assertThat(r.reservation()).isEqualByComparingTo(BigDecimal.valueOf(input * 6 + 1000 * 15).movePointLeft(6));
  }

  @Test
  void responsesStreamThatFailed_isRecordedAsErrorWithZeroCost() {
    String request = "{\"model\":\"o4-mini-2025-04-16\",\"input\":\"Hi\",\"stream\":true,\"max_output_tokens\":64}";

    call("https://api.openai.com/v1/responses", request, 200, "text/event-stream", null, resource("openai/responses-stream-failed.sse"));

    UsageRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(UsageRecord.Status.ERROR);
    assertThat(r.httpStatus()).isEqualTo(200);
    assertThat(r.cost()).isEqualByComparingTo("0");
    assertThat(wallet.reservedNanos()).isZero();
  }

  @Test
  void responsesStreamCutByMaxOutputTokens_billsTheIncompleteResponsesUsage() {
    String request = "{\"model\":\"o4-mini-2025-04-16\",\"input\":\"Hi\",\"stream\":true,\"max_output_tokens\":64}";

    call("https://api.openai.com/v1/responses", request, 200, "text/event-stream", null,
        resource("openai/responses-stream-incomplete.sse"));

    UsageRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(UsageRecord.Status.OK);
    assertThat(r.outputTokens()).isEqualTo(64);
    assertThat(r.reasoningTokens()).isEqualTo(64);
    // 264 × 1.10 + 1024 × 0.275 + 64 × 4.40 per million
    assertThat(r.cost()).isEqualByComparingTo("0.0008536");
  }

  /** Regression: a JDK {@code ofInputStream} body dropped before its end arrived held its reservation forever. */
  @Test
  void pulledBodyDroppedBeforeItsEnd_settlesCancelledWhenCollected_andReleasesTheReservation() throws InterruptedException {
    byte[] request = CHAT_REQUEST.getBytes(StandardCharsets.UTF_8);
    String url = "https://api.openai.com/v1/chat/completions";
    CallHandle handle = meter.begin(meter.classify("POST", url), url, request, request.length);
    assertThat(handle.onResponseStart(new ResponseInfo(200, "application/json", null))).isTrue();
    byte[] firstPart = Arrays.copyOf(resource("openai/chat-completion.json"), 280);
    handle.onBodyChunk(firstPart, 0, firstPart.length); // the rest never comes: nobody reads, so the client asks for no more

    InputStream appsStream = handle.onPulledBody(new ByteArrayInputStream(firstPart));
    assertThat(appsStream).isNotNull();
    appsStream = null; // dropped unread and unclosed
    assertThat(wallet.openReservations()).isEqualTo(1);
    for (int i = 0; i < 50 && records.isEmpty(); i++) { // listeners hear of it last
      System.gc();
      Thread.sleep(10);
    }

    assertThat(wallet.openReservations()).isZero();
    assertThat(wallet.reservedNanos()).isZero();
    assertThat(onlyRecord().status()).isEqualTo(UsageRecord.Status.CANCELLED);
  }

  @Test
  void pulledBody_readsTheBytesItWraps() throws IOException {
    byte[] body = resource("openai/chat-completion.json");
    String url = "https://api.openai.com/v1/chat/completions";
    CallHandle handle = meter.begin(meter.classify("POST", url), url, null, -1);

    try (InputStream in = handle.onPulledBody(new ByteArrayInputStream(body))) {
      assertThat(in.read()).isEqualTo(body[0]);
      assertThat(in.skip(1)).isEqualTo(1);
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(body, 2, body.length));
    }
  }

  /**
   * With room to spare, an OpenAI model's input is reserved at a bound from the body's bytes (not
   * counted: that costs microseconds a call); near the limit it is counted, so a call that fits is
   * never blocked for the bound's slack, and one that does not is blocked at its counted worst case.
   */
  @Test
  void inputBound_isReservedWhilePlentiful_andCountedNearTheLimit() throws IOException {
    TokenCounter.load("gpt-4o-mini-2024-07-18");
    String url = "https://api.openai.com/v1/chat/completions";
    byte[] request = CHAT_REQUEST.getBytes(StandardCharsets.UTF_8);
    RequestInfo bound = RequestInfo.preflight(Formats.OPENAI, request, request.length, null);
    assertThat(bound.isBound()).isTrue();
    Quoter quoter = new Quoter(prices, BigDecimal.ONE);
    long exact = quoter.quote(bound.model, bound.counted().estimatedInputTokens, 100).worstCaseNanos;
    long bounded = quoter.quote(bound.model, bound.estimatedInputTokens, 100).worstCaseNanos;
    assertThat(bounded).isGreaterThan(exact);

    Meter plenty = meter(limited(1_000_000_000L));
    CallHandle roomy = plenty.begin(plenty.classify("POST", url), url, request, request.length);
    assertThat(roomy.isBlocked()).isFalse();
    assertThat(wallet.reservedNanos()).isEqualTo(bounded);

    Meter exactlyEnough = meter(limited(exact));
    CallHandle tight = exactlyEnough.begin(exactlyEnough.classify("POST", url), url, request, request.length);
    assertThat(tight.isBlocked()).isFalse();
    assertThat(wallet.reservedNanos()).isEqualTo(exact);

    Meter oneShort = meter(limited(exact - 1));
    CallHandle blocked = oneShort.begin(oneShort.classify("POST", url), url, request, request.length);
    assertThat(blocked.isBlocked()).isTrue();
    assertThat(wallet.reservedNanos()).isZero();
    assertThat(blocks).singleElement().satisfies(b -> assertThat(b.required()).isEqualByComparingTo(Money.fromNanos(exact)));
    journal.close();
    List<UsageRecord> journaled = new java.util.ArrayList<>();
    dev.tollgate.agent.journal.JournalReader.read(dir, journaled::add);
    assertThat(journaled).filteredOn(r -> r.status() == UsageRecord.Status.BLOCKED).singleElement()
        .satisfies(r -> assertThat(r.httpStatus()).as("the application saw the synthetic 402").isEqualTo(402));
  }

  /** A budget that refuses blocks before the wallet is asked, and names itself in the body, the exception and the event. */
  @Test
  void budgetRefusal_blocksWithoutTouchingTheWallet_andNamesTheBudgetEverywhere() throws IOException {
    String url = "https://api.openai.com/v1/chat/completions";
    byte[] request = CHAT_REQUEST.getBytes(StandardCharsets.UTF_8);
    Clock clock = Clock.fixed(Instant.parse("2025-09-02T10:00:00Z"), ZoneOffset.UTC);
    dev.tollgate.agent.budget.Budgets budgets = new dev.tollgate.agent.budget.Budgets(List.of(
        dev.tollgate.agent.budget.BudgetSpec.of(Map.of(), "1/day", List.of(), "test"),
        dev.tollgate.agent.budget.BudgetSpec.of(Map.of("model", "gpt-4o-mini-2024-07-18"), "0/day", List.of(), "test")),
        ZoneOffset.UTC, clock, dev.tollgate.agent.budget.PeriodSpendSource.NONE, (st, t) -> {});
    Meter m = meter(limited(1_000_000_000L));
    m.useBudgets(budgets);

    CallHandle handle = m.begin(m.classify("POST", url), url, request, request.length);

    assertThat(handle.isBlocked()).isTrue();
    assertThat(handle.blockedBody())
        .contains("the budget {model=gpt-4o-mini-2024-07-18} per day has 0 of 0 left; it resets at 2025-09-03T00:00:00Z")
        .endsWith(",\"budget\":{\"scope\":{\"model\":\"gpt-4o-mini-2024-07-18\"},\"period\":\"day\",\"limit\":0,\"remaining\":0,"
            + "\"resets_at\":\"2025-09-03T00:00:00Z\"}}}");
    assertThat(wallet.reservedNanos()).isZero();
    assertThat(budgets.statuses()).allSatisfy(st -> assertThat(st.reserved()).isEqualByComparingTo("0")); // the wallet-day budget gave back its part
    assertThat(blocks).singleElement().satisfies(b -> assertThat(b.budget().scope()).containsEntry("model", "gpt-4o-mini-2024-07-18"));

    config = TollgateConfig
        .load(ConfigSource.of(Map.of("tollgate.data-dir", dir.toString(), "tollgate.block-mode", "exception"), Map.of(), Map.of()));
    Meter throwing = meter(limited(1_000_000_000L));
    throwing.useBudgets(budgets);
    CallHandle thrown = throwing.begin(throwing.classify("POST", url), url, request, request.length);
    assertThat(thrown.blockedException()).isInstanceOfSatisfying(dev.tollgate.api.CreditsExhaustedException.class,
        e -> assertThat(e.budget().resetsAt()).isEqualTo("2025-09-03T00:00:00Z"));
  }

  private static Wallet limited(long budgetNanos) {
    return new Wallet(0,
        spent -> new BalanceCache(new LocalCreditSource(budgetNanos, spent), java.time.Duration.ofHours(1), Runnable::run));
  }

  private UsageRecord onlyRecord() {
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  /** Runs one call through the meter as an HTTP client's advice would; returns what the application read. */
  private byte[] call(String url, String request, int status, String contentType, @Nullable String encoding, byte[] body) {
    byte[] requestBytes = request.getBytes(StandardCharsets.UTF_8);
    CallHandle handle = meter.begin(meter.classify("POST", url), url, requestBytes, requestBytes.length);
    assertThat(handle.isBlocked()).isFalse();
    InputStream raw = new ByteArrayInputStream(body);
    InputStream tapped = handle.onResponse(new ResponseInfo(status, contentType, encoding), raw);
    try (InputStream in = tapped == null ? raw : tapped) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[37]; // small reads: the tap sees many chunks
      for (int n; (n = in.read(buffer)) >= 0;) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String path) {
    try (InputStream in = MeteredCallTest.class.getResourceAsStream("/responses/" + path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
