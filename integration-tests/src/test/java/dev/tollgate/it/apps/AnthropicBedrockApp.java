package dev.tollgate.it.apps;

import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * anthropic-java's Bedrock backend, unmodified, as an application uses it: static AWS credentials, the
 * region us-east-1, and the backend's base URL set to the loopback fake (as for a VPC endpoint). Makes a
 * {@code messages().create} and a {@code createStreaming}, each in its own try, so a blocked one does not
 * hide the other.
 *
 * <pre>AnthropicBedrockApp BASE_URL</pre>
 *
 * Prints {@code CONTENT text}, {@code SDKUSAGE in out} for the plain call, {@code EVENTS n} and {@code
 * STREAMTEXT text} for the stream, and {@code ERROR class message} for a call that threw.
 */
public final class AnthropicBedrockApp {
  public static final String ACCESS_KEY = "AKIAIOSFODNN7ANTHROPIC";
  /** Looks like a real secret key, so tests can grep every output for it. */
  public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiANTHROPICSECRET";
  /** A cross-region inference profile: the model id Bedrock's path carries. */
  public static final String MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

  private AnthropicBedrockApp() {}

  /** One run, without ending the JVM (what {@code ScenarioDriver} runs). */
  public static void run(String[] argv) {
    BedrockBackend backend = BedrockBackend.builder().awsCredentials(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))
        .region(Region.US_EAST_1).baseUrl(argv[0]).build();
    AnthropicClient client = AnthropicOkHttpClient.builder().backend(backend).build();
    MessageCreateParams params = MessageCreateParams.builder().model(MODEL).maxTokens(200).addUserMessage("Say hello").build();
    try {
      Message m = client.messages().create(params);
      m.content().forEach(block -> block.text().ifPresent(t -> System.out.println("CONTENT " + t.text())));
      System.out.println("SDKUSAGE " + m.usage().inputTokens() + " " + m.usage().outputTokens());
    } catch (RuntimeException e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
    try {
      stream(client, params);
    } catch (RuntimeException e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
  }

  private static void stream(AnthropicClient client, MessageCreateParams params) {
    int[] events = {0};
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
      s.stream().forEach(e -> {
        events[0]++;
        e.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
      });
    }
    System.out.println("EVENTS " + events[0]);
    System.out.println("STREAMTEXT " + text);
  }
}
