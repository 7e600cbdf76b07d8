package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * A plain Apache HttpClient 4 (classic) application. {@code handler} reads the response through a
 * {@code ResponseHandler}, {@code response} from the returned response, {@code stream} line by line;
 * {@code raw} turns the client's decompression off, asks for gzip itself and decodes the body itself.
 *
 * <pre>Apache4App handler|response|stream|raw URL JSON</pre>
 */
public final class Apache4App {
  public static void main(String[] argv) throws Exception {
    String mode = argv[0];
    HttpPost post = new HttpPost(argv[1]);
    post.setEntity(new StringEntity(argv[2], ContentType.APPLICATION_JSON));
    if (mode.equals("raw")) {
      post.setHeader("Accept-Encoding", "gzip"); // asked for by the app, decoded by the app
    }
    System.out.println("ACTIVE " + Tollgate.isActive());
    try (CloseableHttpClient client = mode.equals("raw") ? HttpClients.custom().disableContentCompression().build() : HttpClients
        .createDefault()) {
      if (mode.equals("handler")) {
        System.out.println("BODY " + client.execute(post, response -> {
          head(response);
          return EntityUtils.toString(response.getEntity());
        }));
        return;
      }
      try (CloseableHttpResponse response = client.execute(post)) {
        head(response);
        if (mode.equals("response")) {
          System.out.println("BODY " + EntityUtils.toString(response.getEntity()));
          return;
        }
        Header encoding = response.getFirstHeader("Content-Encoding");
        boolean gzip = encoding != null && encoding.getValue().equals("gzip");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            gzip ? new GZIPInputStream(response.getEntity().getContent()) : response.getEntity().getContent(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null;) {
            System.out.println((mode.equals("raw") ? "BODY " : "LINE ") + line);
          }
        }
      }
    } catch (java.io.IOException e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
  }

  private static void head(HttpResponse response) {
    System.out.println("STATUS " + response.getStatusLine().getStatusCode());
    Header blocked = response.getFirstHeader("Tollgate-Blocked");
    System.out.println("BLOCKED " + (blocked == null ? null : blocked.getValue()));
  }
}
