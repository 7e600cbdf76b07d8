package dev.tollgate.agent.instrument.apache4.support;

import dev.tollgate.agent.bootstrap.Apache4Bridge;
import org.apache.http.HttpVersion;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.message.BasicHttpResponse;

/** The {@link Apache4Bridge} defined beside the application's Apache HttpClient 4. */
public final class Apache4Support extends Apache4Bridge {

  @Override
  public Object blockedResponse(String body) {
    BlockedResponse response = new BlockedResponse();
    response.addHeader("Tollgate-Blocked", "true");
    response.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    return response;
  }

  /** A 402 that holds no connection: closing it has nothing to release. */
  static final class BlockedResponse extends BasicHttpResponse implements CloseableHttpResponse {
    BlockedResponse() {
      super(HttpVersion.HTTP_1_1, 402, "Payment Required");
    }

    @Override
    public void close() {}
  }
}
