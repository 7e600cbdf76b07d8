package dev.tollgate.agent.source.redis;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, stopped by {@link
 * #close}. Without the binary the test is skipped, or fails when {@code CI} is set or {@code
 * -Dtollgate.redis.required=true}. The binary is {@code -Dtollgate.redis.server}, else {@code
 * redis-server} on the PATH.
 */
public final class RedisServer implements AutoCloseable {
  public final int port;
  private final Process process;
  public final JedisPooled client;

  private RedisServer(int port, Process process, JedisPooled client) {
    this.port = port;
    this.process = process;
    this.client = client;
  }

  private static RedisServer shared;

  /** One server for every test class of this JVM that needs no server of its own; stopped when the JVM exits. */
  static synchronized RedisServer shared() throws Exception {
    if (shared == null) {
      RedisServer s = start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          s.close();
        } catch (IOException | InterruptedException e) {
          s.process.destroyForcibly();
        }
      }, "redis-server-stop"));
      shared = s;
    }
    return shared;
  }

  public static RedisServer start(String... extraArgs) throws Exception {
    String binary = binary();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
    cmd.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String password = extraArgs.length == 2 && extraArgs[0].equals("--requirepass") ? extraArgs[1] : null;
    JedisPooled client = new JedisPooled(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().password(password).build());
    for (int i = 0; ; i++) {
      try {
        client.ping();
        return new RedisServer(port, p, client);
      } catch (RuntimeException e) {
        if (i == 200 || !p.isAlive()) {
          p.destroyForcibly();
          throw new IllegalStateException(binary + " did not answer on port " + port, e);
        }
        Thread.sleep(25);
      }
    }
  }

  private static String binary() {
    String configured = System.getProperty("tollgate.redis.server");
    if (configured != null) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "redis-server");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    String why = "no redis-server binary on the PATH (install Debian's redis-server, or set -Dtollgate.redis.server)";
    if (System.getenv("CI") != null || Boolean.getBoolean("tollgate.redis.required")) {
      fail(why);
    }
    Assumptions.abort(why);
    return null;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    client.close();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
