package dev.tollgate.agent.instrument.aws.support;

import dev.tollgate.agent.bootstrap.AwsBridge;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/** The {@link AwsBridge} defined beside the application's AWS SDK. */
public final class AwsSupport extends AwsBridge {

  @Override
  public Object wrapSync(Object client) {
    return client instanceof MeteredHttpClient ? client : new MeteredHttpClient((SdkHttpClient) client);
  }

  @Override
  public Object wrapAsync(Object client, Object caller) {
    return client instanceof MeteredAsyncHttpClient ? client : new MeteredAsyncHttpClient((SdkAsyncHttpClient) client, caller);
  }
}
