package dev.tollgate.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, read with Jedis (so no
 * {@code redis-cli} is needed). The binary is {@code -Dtollgate.redis.server}, else {@code
 * redis-server} on the PATH (Debian's), else the one the {@code embedded-redis} test dependency ships.
 */
final class RedisProcess implements AutoCloseable {
  final int port;
  private final @Nullable String password;
  private final Process process;

  private RedisProcess(int port, @Nullable String password, Process process) {
    this.port = port;
    this.password = password;
    this.process = process;
  }

  /** Starts a server; with a {@code password}, one that requires it (given in a config file, not on the command line). */
  static RedisProcess start(@Nullable String password, Path dir) throws Exception {
    String server = binary();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("redis-" + port + ".conf");
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\nsave \"\"\nappendonly no\n" + (password == null ? "" : "requirepass "
        + password + "\n"));
    Process p = new ProcessBuilder(server, conf.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    RedisProcess redis = new RedisProcess(port, password, p);
    for (int i = 0; !redis.cli("PING").equals("PONG"); i++) {
      if (i == 200 || !p.isAlive()) {
        redis.close();
        throw new IllegalStateException(server + " did not answer on port " + port);
      }
      Thread.sleep(25);
    }
    return redis;
  }

  private static String binary() throws IOException {
    String configured = System.getProperty("tollgate.redis.server");
    if (configured != null) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return ExecutableProvider.newJarResourceProvider().get().getPath();
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Runs one command; its reply as {@code redis-cli} prints it, trimmed ("" for nil or a server that is gone). */
  String cli(String command, String... args) {
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().password(password).build())) {
      return text(jedis.sendCommand(Protocol.Command.valueOf(command), args)).trim();
    } catch (JedisConnectionException gone) {
      return "";
    }
  }

  private static String text(@Nullable Object reply) {
    if (reply instanceof byte[]) {
      return new String((byte[]) reply, StandardCharsets.UTF_8);
    }
    if (reply instanceof List) {
      return ((List<?>) reply).stream().map(RedisProcess::text).collect(Collectors.joining("\n"));
    }
    return reply == null ? "" : reply.toString();
  }

  /** An integer key's value, 0 when it does not exist. */
  long number(String key) {
    String v = cli("GET", key);
    return v.isEmpty() ? 0 : Long.parseLong(v);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
