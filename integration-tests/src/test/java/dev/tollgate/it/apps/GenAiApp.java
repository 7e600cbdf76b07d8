package dev.tollgate.it.apps;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;

/**
 * google-genai (the Gemini Developer API client), unmodified, as an application uses it.
 *
 * <pre>GenAiApp generate|stream BASE_URL</pre>
 */
public final class GenAiApp {
  public static void main(String[] argv) {
    run(argv);
    System.exit(0); // OkHttp's pool keeps non-daemon threads for a while
  }

  /** One call, without ending the JVM (what {@code ScenarioDriver} runs). */
  public static void run(String[] argv) {
    Client client = Client.builder().apiKey(SdkApp.KEY)
        .httpOptions(HttpOptions.builder().baseUrl(argv[1]).build()).build();
    GenerateContentConfig config = GenerateContentConfig.builder().maxOutputTokens(200).build();
    try {
      if (argv[0].equals("generate")) {
        GenerateContentResponse r = client.models.generateContent("gemini-2.5-flash", "Say hello", config);
        System.out.println("CONTENT " + r.text());
        r.usageMetadata().ifPresent(GenAiApp::printUsage);
      } else {
        StringBuilder text = new StringBuilder();
        GenerateContentResponse last = null;
        try (ResponseStream<GenerateContentResponse> s = client.models.generateContentStream("gemini-2.5-flash", "Say hello", config)) {
          for (GenerateContentResponse chunk : s) {
            text.append(chunk.text());
            last = chunk;
          }
        }
        System.out.println("CONTENT " + text);
        last.usageMetadata().ifPresent(GenAiApp::printUsage);
      }
    } catch (RuntimeException e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
  }

  private static void printUsage(GenerateContentResponseUsageMetadata u) {
    System.out.println("SDKUSAGE " + u.promptTokenCount().orElse(0) + " " + u.candidatesTokenCount().orElse(0)
        + " " + u.thoughtsTokenCount().orElse(0) + " " + u.cachedContentTokenCount().orElse(0));
  }
}
