package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateScope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * The AWS SDK v2's Bedrock Runtime client, unmodified, against a fake Bedrock on loopback, one JVM
 * per transport: {@code default} (the SDK's own choice: Apache 5), {@code apache4} and
 * {@code urlconnection} set explicitly run the sync client's Converse and InvokeModel; {@code netty}
 * runs the async client's four operations (the event-stream ones exist only there). Last, a Converse
 * under the scope {@code tenant=blocked}, whose budget the test sets to 0. Prints one line per call.
 */
public final class BedrockApp {
  /** Static fake credentials: the secret must appear nowhere Tollgate writes. */
  public static final String ACCESS_KEY = "AKIAIOSFODNN7FAKEKEY";
  public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKESECRET";
  public static final String CONVERSE_MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
  public static final String STREAM_MODEL = "amazon.nova-pro-v1:0";
  public static final String INVOKE_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  public static final String INVOKE_STREAM_MODEL = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
  static final String ANTHROPIC_BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":300,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private BedrockApp() {}

  public static void main(String[] args) throws Exception {
    String transport = args[0];
    URI endpoint = URI.create(args[1]);
    if (transport.equals("netty")) {
      runAsync(endpoint);
    } else {
      runSync(transport, endpoint);
    }
  }

  private static void runSync(String transport, URI endpoint) {
    var builder = BedrockRuntimeClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    if (transport.equals("apache4")) {
      builder.httpClientBuilder(ApacheHttpClient.builder());
    } else if (transport.equals("urlconnection")) {
      builder.httpClientBuilder(UrlConnectionHttpClient.builder());
    }
    try (BedrockRuntimeClient client = builder.build()) {
      call("CONVERSE", () -> text(client.converse(converse(CONVERSE_MODEL))));
      call("INVOKE", () -> client.invokeModel(invoke(INVOKE_MODEL)).body().asUtf8String());
      try (TollgateScope s = Tollgate.scope("tenant", "blocked")) {
        call("BLOCKED", () -> text(client.converse(converse(CONVERSE_MODEL))));
      }
    }
  }

  private static void runAsync(URI endpoint) {
    try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build()) {
      call("CONVERSE", () -> text(client.converse(converse(CONVERSE_MODEL)).join()));
      call("STREAM", () -> converseStream(client));
      call("INVOKE", () -> client.invokeModel(invoke(INVOKE_MODEL)).join().body().asUtf8String());
      call("ISTREAM", () -> invokeStream(client));
      try (TollgateScope s = Tollgate.scope("tenant", "blocked")) {
        call("BLOCKED", () -> text(client.converse(converse(CONVERSE_MODEL)).join()));
      }
    }
  }

  private static String converseStream(BedrockRuntimeAsyncClient client) {
    StringBuilder text = new StringBuilder();
    long[] usage = new long[2];
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
            .onContentBlockDelta(d -> text.append(d.delta().text()))
            .onMetadata(m -> {
              usage[0] = m.usage().inputTokens();
              usage[1] = m.usage().outputTokens();
            })
            .build())
        .build();
    client.converseStream(ConverseStreamRequest.builder().modelId(STREAM_MODEL)
        .messages(message()).inferenceConfig(c -> c.maxTokens(300)).build(), handler).join();
    return text + " sdk-usage=" + usage[0] + "/" + usage[1];
  }

  private static String invokeStream(BedrockRuntimeAsyncClient client) {
    StringBuilder chunks = new StringBuilder();
    InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
        .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
            .onChunk(c -> chunks.append(c.bytes().asUtf8String().contains("text_delta") ? "d" : "."))
            .build())
        .build();
    client.invokeModelWithResponseStream(InvokeModelWithResponseStreamRequest.builder().modelId(INVOKE_STREAM_MODEL)
        .contentType("application/json").body(SdkBytes.fromString(ANTHROPIC_BODY, StandardCharsets.UTF_8)).build(), handler).join();
    return chunks.toString();
  }

  private static ConverseRequest converse(String model) {
    return ConverseRequest.builder().modelId(model).messages(message()).inferenceConfig(c -> c.maxTokens(300)).build();
  }

  private static Message message() {
    return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Say hello")).build();
  }

  private static InvokeModelRequest invoke(String model) {
    return InvokeModelRequest.builder().modelId(model).contentType("application/json").accept("application/json")
        .body(SdkBytes.fromString(ANTHROPIC_BODY, StandardCharsets.UTF_8)).build();
  }

  private static String text(ConverseResponse r) {
    return r.output().message().content().get(0).text() + " sdk-usage=" + r.usage().inputTokens() + "/" + r.usage().outputTokens();
  }

  private static void call(String label, java.util.concurrent.Callable<String> c) {
    try {
      System.out.println(label + " " + c.call());
    } catch (Throwable t) {
      Throwable e = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
      System.out.println(label + " ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
    System.out.flush();
  }
}
