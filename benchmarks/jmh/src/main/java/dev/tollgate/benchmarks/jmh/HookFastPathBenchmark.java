package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.instrument.apache.ApacheAsyncAdvice;
import dev.tollgate.agent.instrument.apache.ApacheClassicAdvice;
import dev.tollgate.agent.instrument.apache.async.ApacheAsyncSupport;
import dev.tollgate.agent.instrument.jdkhttp.JdkHttpClientAdvice;
import dev.tollgate.agent.instrument.okhttp.OkHttpAdvice;
import dev.tollgate.agent.instrument.urlconnection.UrlConnectionAdvice;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every HTTP call the application makes pays when it is not an LLM call: the advice's enter
 * method for a POST to a host outside the endpoint catalog, with the agent's meter installed. The
 * advice methods are plain static methods that Byte Buddy inlines verbatim, so calling them here
 * runs the code the instrumented client runs. Target: no allocation ({@code gc.alloc.rate.norm} 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HookFastPathBenchmark {
  static final String URL = "http://example.com/api/v1/upload";
  private static final String BODY = "{\"name\":\"report.pdf\",\"size\":1024}";

  private Agent agent;
  private URL url;
  private HttpURLConnection connection;
  private Interceptor.Chain okHttpChain;
  private HttpRequest jdkRequest;
  private HttpResponse.BodyHandler<String> jdkHandler;
  private HttpHost apacheTarget;
  private HttpPost apacheRequest;
  private AsyncRequestProducer apacheProducer;

  @Setup
  public void setUp() throws IOException {
    agent = Agent.install();
    Hooks.APACHE_ASYNC.install(anchor -> new ApacheAsyncSupport());
    url = new URL(URL);
    connection = openConnection();
    Request request = new Request.Builder().url(URL).post(RequestBody.create(BODY, MediaType.get("application/json"))).build();
    okHttpChain = new FixedChain(request);
    jdkRequest = HttpRequest.newBuilder(URI.create(URL)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    jdkHandler = HttpResponse.BodyHandlers.ofString();
    apacheTarget = new HttpHost("http", "example.com", 80);
    apacheRequest = new HttpPost(URL);
    apacheRequest.setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON));
    apacheProducer = SimpleRequestProducer.create(SimpleRequestBuilder.post(URL).setBody(BODY, ContentType.APPLICATION_JSON).build());
  }

  @TearDown
  public void tearDown() {
    agent.close();
  }

  private HttpURLConnection openConnection() throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    return c;
  }

  /** The hooks one {@code HttpURLConnection} call passes: connect, getInputStream (enter and exit), a header getter, disconnect. */
  @Benchmark
  public boolean urlConnectionHooks() {
    HttpURLConnection c = connection;
    boolean skip = UrlConnectionAdvice.Connect.enter(c);
    Object input = UrlConnectionAdvice.Input.enter(c, null, null);
    UrlConnectionAdvice.Input.exit(c, null, null, input, -1, null, null, null);
    String header = UrlConnectionAdvice.HeaderByName.enter(c, "Content-Type");
    UrlConnectionAdvice.Disconnect.exit(c);
    return skip || input != null || header != null;
  }

  /** The same on a connection the hooks have never seen: the first sight is where a classification would be kept. */
  @Benchmark
  public boolean urlConnectionFirstSight() throws IOException {
    HttpURLConnection c = openConnection();
    boolean skip = UrlConnectionAdvice.Connect.enter(c);
    Object input = UrlConnectionAdvice.Input.enter(c, null, null);
    UrlConnectionAdvice.Input.exit(c, null, null, input, -1, null, null, null);
    UrlConnectionAdvice.Disconnect.exit(c);
    return skip || input != null;
  }

  /** Baseline for {@link #urlConnectionFirstSight}: opening the connection alone. */
  @Benchmark
  public HttpURLConnection urlConnectionOpenOnly() throws IOException {
    return openConnection();
  }

  @Benchmark
  public boolean okHttp() {
    return OkHttpAdvice.enter(okHttpChain, null);
  }

  @Benchmark
  public Object jdkHttpClient() {
    return JdkHttpClientAdvice.enter(jdkRequest, jdkHandler, null);
  }

  @Benchmark
  public boolean apacheClassic() {
    return ApacheClassicAdvice.enter(apacheTarget, apacheRequest, null);
  }

  /** The async client is called without a target ({@code execute(SimpleHttpRequest…)}): the host is in the request. */
  @Benchmark
  public boolean apacheAsync() {
    return ApacheAsyncAdvice.enter(null, apacheProducer, null, null);
  }

  /** An OkHttp interceptor chain that only knows its request, as the advice only asks for it. */
  private static final class FixedChain implements Interceptor.Chain {
    private final Request request;

    FixedChain(Request request) {
      this.request = request;
    }

    @Override
    public Request request() {
      return request;
    }

    @Override
    public Response proceed(Request r) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Connection connection() {
      return null;
    }

    @Override
    public Call call() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int connectTimeoutMillis() {
      return 0;
    }

    @Override
    public Interceptor.Chain withConnectTimeout(int timeout, TimeUnit unit) {
      return this;
    }

    @Override
    public int readTimeoutMillis() {
      return 0;
    }

    @Override
    public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) {
      return this;
    }

    @Override
    public int writeTimeoutMillis() {
      return 0;
    }

    @Override
    public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) {
      return this;
    }
  }
}
