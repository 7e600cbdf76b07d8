package dev.tollgate.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A JDK-client application driven line by line on standard input, so a test can scrape its metrics
 * between calls: {@code call<TAB>URL<TAB>JSON} POSTs and reads the whole answer, {@code jmx} prints
 * Tollgate's MBean attributes as the platform MBean server gives them, {@code quit} ends. Every
 * command ends with a {@code DONE} line.
 */
public final class MetricsApp {
  private static final String[] JMX = {"CallsOk", "CallsError", "CallsBlocked", "CallsCancelled", "Cost", "InputTokens", "OutputTokens",
      "Balance", "ReservationsOpen"};

  public static void main(String[] argv) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY");
    for (String line; (line = in.readLine()) != null;) {
      String[] cmd = line.split("\t");
      switch (cmd[0]) {
        case "call": {
          HttpRequest request = HttpRequest.newBuilder(URI.create(cmd[1])).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(cmd[2])).build();
          System.out.println("STATUS " + client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
          break;
        }
        case "jmx": {
          MBeanServer server = ManagementFactory.getPlatformMBeanServer();
          ObjectName name = new ObjectName("dev.tollgate:type=Metrics");
          for (String attribute : JMX) {
            System.out.println("JMX " + attribute + "=" + server.getAttribute(name, attribute));
          }
          System.out.println("JMX BudgetRemaining=" + String.join(";", (String[]) server.getAttribute(name, "BudgetRemaining")));
          break;
        }
        case "quit":
          System.out.println("DONE");
          return;
        default:
          throw new IllegalArgumentException(cmd[0]);
      }
      System.out.println("DONE");
    }
  }
}
