package dev.tollgate.benchmarks.e2e;

import java.lang.management.ManagementFactory;

/** CPU time of the whole process: every thread (the caller, the agent's, JIT, GC). On a shared machine it moves far less than wall time. */
final class ProcessCpu {
  private ProcessCpu() {}

  static long nanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
