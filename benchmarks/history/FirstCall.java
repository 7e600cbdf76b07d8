import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * One metered call, as early as an application can make it: a loopback OpenAI-format server, then one
 * POST through the JDK client. Prints the HTTP status, the time from JVM start to the call's answer,
 * and the call's own latency. Needs only the JDK.
 *
 * <pre>java -javaagent:tollgate-agent.jar -Dtollgate.endpoint.fake.url=http://127.0.0.1:PORT/v1 FirstCall PORT</pre>
 */
public class FirstCall {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] answer = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}").getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":100}";
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long t0 = System.nanoTime();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    long now = System.currentTimeMillis();
    System.out.println("STATUS " + response.statusCode());
    System.out.println("FIRST_CALL_MS " + (now - ManagementFactory.getRuntimeMXBean().getStartTime()));
    System.out.println("CALL_MS " + (System.nanoTime() - t0) / 1_000_000);
    server.stop(0);
  }
}
