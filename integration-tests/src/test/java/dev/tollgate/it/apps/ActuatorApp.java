package dev.tollgate.it.apps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Micrometer in an application, two ways. {@code actuator URL JSON...}: a Spring Boot WebFlux app
 * with Actuator and Micrometer's Prometheus registry (it-classpaths/springboot) starts on a free
 * port, POSTs each JSON to URL with the JDK client ({@code STATUS n}), then GETs its own {@code
 * /actuator/prometheus} and prints every line as {@code PROM line}. {@code plain URL JSON...}: no
 * Spring; a {@code SimpleMeterRegistry} joins {@code Metrics.globalRegistry} after the calls, and
 * each of its meters prints as {@code METER name{tags} statistic=value}; {@code plain-nowait} does not
 * wait for Tollgate's meters to show first.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ActuatorApp {

  public static void main(String[] args) throws Exception {
    String[] requests = Arrays.copyOfRange(args, 2, args.length);
    if (args[0].equals("actuator")) {
      actuator(args[1], requests);
    } else {
      plain(args[1], requests, args[0].equals("plain"));
    }
  }

  private static void actuator(String url, String[] requests) throws Exception {
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ActuatorApp.class)
        .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
            "management.endpoints.web.exposure.include=prometheus", "logging.level.root=warn").run()) {
      call(url, requests);
      String port = ctx.getEnvironment().getProperty("local.server.port");
      String scrape = get("http://127.0.0.1:" + port + "/actuator/prometheus");
      // Tollgate registers its meters from a thread of its own: wait for them (a deadline, not a timing assertion).
      for (long deadline = System.nanoTime() + 30_000_000_000L; !scrape.contains("tollgate_calls_total") && System.nanoTime() < deadline;) {
        Thread.sleep(100);
        scrape = get("http://127.0.0.1:" + port + "/actuator/prometheus");
      }
      scrape.lines().forEach(line -> System.out.println("PROM " + line));
    }
  }

  private static void plain(String url, String[] requests, boolean waitForTollgate) throws Exception {
    Counter own = Metrics.counter("app.own.counter"); // the application uses Micrometer before it calls
    call(url, requests);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    own.increment();
    // Tollgate registers its meters from a thread of its own: wait for them (a deadline, not a timing assertion).
    for (long deadline = System.nanoTime() + 30_000_000_000L; waitForTollgate && registry.find("tollgate.calls").meters().isEmpty()
        && System.nanoTime() < deadline;) {
      Thread.sleep(100);
    }
    for (Meter m : registry.getMeters()) {
      String tags = m.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
      for (Measurement measurement : m.measure()) {
        System.out.println("METER " + m.getId().getName() + "{" + tags + "} " + measurement.getStatistic() + "=" + measurement.getValue());
      }
    }
  }

  private static void call(String url, String[] requests) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String json : requests) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)).build();
      System.out.println("STATUS " + client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers
        .ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode());
    }
    return r.body();
  }
}
