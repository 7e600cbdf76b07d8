package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * A plain Apache HttpClient 5 (classic) application, written against the API 5.1 to 5.6 share.
 *
 * <pre>ApacheApp handler|response|stream URL JSON</pre>
 */
public final class ApacheApp {
  public static void main(String[] argv) throws Exception {
    String mode = argv[0];
    HttpPost post = new HttpPost(argv[1]);
    post.setEntity(new StringEntity(argv[2], ContentType.APPLICATION_JSON));
    System.out.println("ACTIVE " + Tollgate.isActive());
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      if (mode.equals("handler")) {
        String body = client.execute(post, response -> {
          System.out.println("STATUS " + response.getCode());
          System.out.println("BLOCKED " + (response.getFirstHeader("Tollgate-Blocked") == null ? null : response.getFirstHeader(
              "Tollgate-Blocked").getValue()));
          return EntityUtils.toString(response.getEntity());
        });
        System.out.println("BODY " + body);
        return;
      }
      try (CloseableHttpResponse response = client.execute(post)) {
        System.out.println("STATUS " + response.getCode());
        System.out.println("BLOCKED " + (response.getFirstHeader("Tollgate-Blocked") == null ? null : response.getFirstHeader(
            "Tollgate-Blocked").getValue()));
        if (mode.equals("response")) {
          System.out.println("BODY " + EntityUtils.toString(response.getEntity()));
          return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null;) {
            System.out.println("LINE " + line);
          }
        }
      }
    } catch (java.io.IOException e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
  }
}
