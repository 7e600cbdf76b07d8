package dev.tollgate.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One benchmark method of this module timed by its thread's own CPU time, not by the wall clock: for a machine
 * so loaded that JMH's times swing tenfold between identical runs, CPU time still says what the code costs. The
 * method is run in a plain loop on one thread, warmed up, then timed in rounds with {@link
 * ThreadMXBean#getCurrentThreadCpuTime}; the median round and the range are printed, in ns per op. Allocation is
 * still best taken from JMH ({@code -prof gc}).
 *
 * <pre>java -cp benchmarks/jmh/target/benchmarks.jar dev.tollgate.benchmarks.jmh.ThreadCpuLoop \
 *     Class.method [param=value ...] [--warmup OPS] [--rounds N] [--ops OPS]</pre>
 *
 * {@code Class} is a benchmark of this package; each {@code param=value} sets one of its {@code @Param} fields.
 * Its {@code @Setup} methods run once before the loop and its {@code @TearDown} methods once after.
 */
public final class ThreadCpuLoop {
  /** Keeps the JIT from dropping a result nobody reads. */
  private static volatile int sink;

  private ThreadCpuLoop() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].contains(".")) {
      System.err.println("usage: ThreadCpuLoop Class.method [param=value ...] [--warmup OPS] [--rounds N] [--ops OPS]");
      System.exit(2);
    }
    long warmup = 400_000;
    int rounds = 15;
    long ops = 40_000;
    String target = args[0];
    Class<?> type = Class.forName(ThreadCpuLoop.class.getPackageName() + "." + target.substring(0, target.lastIndexOf('.')));
    Object bench = type.getConstructor().newInstance();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup":
          warmup = Long.parseLong(args[++i]);
          break;
        case "--rounds":
          rounds = Integer.parseInt(args[++i]);
          break;
        case "--ops":
          ops = Long.parseLong(args[++i]);
          break;
        default:
          String[] kv = args[i].split("=", 2);
          if (kv.length != 2) {
            throw new IllegalArgumentException("not param=value: " + args[i]);
          }
          Field f = type.getField(kv[0]);
          f.set(bench, kv[1]);
      }
    }
    Method run = type.getMethod(target.substring(target.lastIndexOf('.') + 1));
    invokeAnnotated(bench, Setup.class);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    loop(bench, run, warmup);
    long[] perOp = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = threads.getCurrentThreadCpuTime();
      loop(bench, run, ops);
      perOp[r] = (threads.getCurrentThreadCpuTime() - start) / ops;
    }
    invokeAnnotated(bench, TearDown.class);
    long[] sorted = perOp.clone();
    Arrays.sort(sorted);
    System.out.printf("%s %s: median %d ns/op of thread CPU (rounds %d-%d; %d rounds of %d ops after %d)%n", target,
        String.join(" ", params(args)), sorted[rounds / 2], sorted[0], sorted[rounds - 1], rounds, ops, warmup);
  }

  private static void loop(Object bench, Method run, long ops) throws ReflectiveOperationException {
    int h = 0;
    for (long i = 0; i < ops; i++) {
      Object result = run.invoke(bench);
      h += result == null ? 0 : 1;
    }
    sink = h;
  }

  private static void invokeAnnotated(Object bench, Class<? extends java.lang.annotation.Annotation> annotation)
      throws ReflectiveOperationException {
    for (Method m : bench.getClass().getMethods()) {
      if (m.isAnnotationPresent(annotation) && m.getParameterCount() == 0) {
        m.invoke(bench);
      }
    }
  }

  private static List<String> params(String[] args) {
    List<String> params = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        i++;
      } else {
        params.add(args[i]);
      }
    }
    return params;
  }
}
