package dev.tollgate.agent.source.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, stopped by {@link
 * #close}. The binary is {@code -Dtollgate.redis.server}, else {@code redis-server} on the PATH
 * (Debian's), else the one the {@code embedded-redis} test dependency ships, so the tests run on a
 * machine with only a JDK.
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
  /**
   * The lock ({@code @ResourceLock}) of every test class using {@link #shared()}: the classes run one at a
   * time, as a test that counts the server's script calls ({@code INFO commandstats}, server-wide) needs.
   */
  static final String SHARED = "dev.tollgate.agent.source.redis.RedisServer.shared";

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
    List<String> cmd = new ArrayList<>(
        List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
    cmd.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String password = extraArgs.length == 2 && extraArgs[0].equals("--requirepass") ? extraArgs[1] : null;
    JedisPooled client = new JedisPooled(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().password(password).build());
    for (int i = 0;; i++) {
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

  private static String binary() throws IOException {
    String configured = System.getProperty("tollgate.redis.server");
    if (configured != null) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return ExecutableProvider.newJarResourceProvider().get().getPath();
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
