package dev.tollgate.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, read with {@code
 * redis-cli} (the password through {@code REDISCLI_AUTH}, never on a command line). Without the
 * binaries the test is skipped, or fails when {@code CI} is set or {@code -Dtollgate.redis.required=true}.
 */
final class RedisProcess implements AutoCloseable {
  final int port;
  private final /* @Nullable */ String password;
  private final Process process;

  private RedisProcess(int port, /* @Nullable */ String password, Process process) {
    this.port = port;
    this.password = password;
    this.process = process;
  }

  /** Starts a server; with a {@code password}, one that requires it (given in a config file, not on the command line). */
  static RedisProcess start(/* @Nullable */ String password, Path dir) throws Exception {
    String server = binary("redis-server");
    binary("redis-cli");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("redis-" + port + ".conf");
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\nsave \"\"\nappendonly no\n" + (password == null ? "" : "requirepass " + password + "\n"));
    Process p = new ProcessBuilder(server, conf.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    RedisProcess redis = new RedisProcess(port, password, p);
    for (int i = 0; !redis.cli("PING").equals("PONG"); i++) {
      if (i == 200 || !p.isAlive()) {
        redis.close();
        throw new IllegalStateException("redis-server did not answer on port " + port);
      }
      Thread.sleep(25);
    }
    return redis;
  }

  static String binary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    String why = "no " + name + " on the PATH (install Debian's redis-server)";
    if (System.getenv("CI") != null || Boolean.getBoolean("tollgate.redis.required")) {
      fail(why);
    }
    Assumptions.abort(why);
    return null;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Runs one command; its reply, trimmed ("" for nil or a server that is gone). */
  String cli(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    cmd.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (password != null) {
      pb.environment().put("REDISCLI_AUTH", password);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  /** An integer key's value, 0 when it does not exist. */
  long number(String key) throws IOException, InterruptedException {
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
