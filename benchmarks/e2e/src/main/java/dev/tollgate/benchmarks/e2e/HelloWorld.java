package dev.tollgate.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The start-up child: prints its first line (the harness times process start to that line), then the process CPU
 * time spent so far (all threads; steadier than wall time on a busy machine) and what the JVM holds once start-up
 * is over: heap and non-heap used after a full GC, and the classes loaded.
 */
public final class HelloWorld {
  private HelloWorld() {}

  public static void main(String[] args) {
    System.out.println("Hello, world");
    System.out.flush();
    // Read just after the first line: the management classes this loads cost every configuration the same.
    System.out.println("CPU " + ProcessCpu.nanos());
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.out.println("HEAP " + memory.getHeapMemoryUsage().getUsed());
    System.out.println("NONHEAP " + memory.getNonHeapMemoryUsage().getUsed());
    System.out.println("CLASSES " + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    System.out.println("JAVA " + System.getProperty("java.version"));
  }
}
