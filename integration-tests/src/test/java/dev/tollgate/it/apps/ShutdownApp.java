package dev.tollgate.it.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An application whose {@code main} simply returns after its calls, with no {@code System.exit}:
 * the JVM ends only if no thread keeps it alive. Lists the agent's threads just before returning.
 *
 * <pre>ShutdownApp URL JSON CALLS</pre>
 */
public final class ShutdownApp {
  public static void main(String[] argv) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < Integer.parseInt(argv[2]); i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(argv[0])).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(argv[1])).build();
      System.out.println("STATUS " + client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("tollgate")) {
        System.out.println("THREAD " + t.getName() + " daemon=" + t.isDaemon());
      }
    }
    System.out.println("RETURNING");
  }
}
