package dev.tollgate.it.apps;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.ai.openai.models.ChatCompletionStreamOptions;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.policy.AddHeadersPolicy;
import dev.tollgate.api.Tollgate;
import java.util.List;

/**
 * Azure OpenAI's SDK (azure-ai-openai) on its default transport, azure-core-http-netty, one scenario
 * after another in one JVM, each printing lines that start with its name.
 *
 * <pre>AzureOpenAiApp ENDPOINT DEPLOYMENT SCENARIO...</pre>
 *
 * Scenarios: {@code chat}, {@code stream} (with include_usage), {@code blocked} (as tenant {@code broke}).
 */
public final class AzureOpenAiApp {
  public static final String KEY = "azure-test-key-not-real";

  public static void main(String[] argv) {
    String endpoint = argv[0];
    String deployment = argv[1];
    System.out.println("ACTIVE " + Tollgate.isActive());
    OpenAIClient client = client(endpoint, "acme");
    ChatCompletionsOptions options = new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("Say hello"))).setMaxTokens(100);
    for (int i = 2; i < argv.length; i++) {
      String scenario = argv[i];
      try {
        switch (scenario) {
          case "chat": {
            ChatCompletions c = client.getChatCompletions(deployment, options);
            System.out.println("chat " + c.getChoices().get(0).getMessage().getContent() + " " + c.getUsage().getTotalTokens());
            break;
          }
          case "stream": {
            StringBuilder text = new StringBuilder();
            for (ChatCompletions chunk : client.getChatCompletionsStream(deployment, options,
                new ChatCompletionStreamOptions().setIncludeUsage(true))) {
              if (!chunk.getChoices().isEmpty() && chunk.getChoices().get(0).getDelta() != null
                  && chunk.getChoices().get(0).getDelta().getContent() != null) {
                text.append(chunk.getChoices().get(0).getDelta().getContent());
              }
            }
            System.out.println("stream " + text);
            break;
          }
          case "blocked":
            client(endpoint, "broke").getChatCompletions(deployment, options);
            System.out.println("blocked UNEXPECTED");
            break;
          default:
            throw new IllegalArgumentException(scenario);
        }
      } catch (HttpResponseException e) {
        System.out.println(scenario + " HTTP " + e.getResponse().getStatusCode() + " " + e.getResponse().getHeaderValue("Tollgate-Blocked")
            + " " + e.getMessage());
      } catch (RuntimeException e) {
        System.out.println(scenario + " ERROR " + e.getClass().getName() + " " + e.getMessage());
      }
    }
    System.exit(0); // Reactor Netty's event loops are not daemons
  }

  private static OpenAIClient client(String endpoint, String tenant) {
    return new OpenAIClientBuilder().endpoint(endpoint).credential(new AzureKeyCredential(KEY))
        .addPolicy(new AddHeadersPolicy(new HttpHeaders().set("X-Tenant", tenant))).buildClient();
  }
}
