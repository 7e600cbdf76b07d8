package dev.tollgate.it;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders the IT classes so that the long ones start first and the short ones end the run: with two
 * classes at a time, a long class that starts last leaves the other lane idle until it ends.
 *
 * <p>JUnit's parallel executor forks the classes in this order onto one worker's queue; that worker
 * then runs them from the END of the list backwards while the other worker steals from the FRONT
 * forwards, until they meet. So the longest classes go to both ends, alternately, and the shortest to
 * the middle: each lane starts long and finishes short. Set in {@code integration-tests/pom.xml}
 * ({@code junit.jupiter.testclass.order.default}).
 *
 * <p>{@link #SECONDS} holds each long class's wall time on two cores (the {@code failsafe-reports} of
 * a {@code ./mvnw verify} of main on 2026-12-07, after the fork sharing; the six classes of the second
 * fork pass scaled by their before/after ratio, measured back to back: a contract group's first class
 * forks the JVMs its partner then only reads, see {@code ClientContractIT.SHARED_JVMS}); a class not listed counts as
 * {@link #UNLISTED}. A stale figure only makes the
 * run a little longer, never changes what it tests: update them when a class grows or shrinks by
 * much (see docs/contributing/running-tests.md).
 */
public final class LongestFirst implements ClassOrderer {
  static final int UNLISTED = 5;
  static final Map<String, Integer> SECONDS = Map.ofEntries(
      Map.entry("SharedWalletIT", 40),
      Map.entry("FaultMatrixIT", 38),
      Map.entry("ConfigIT", 34),
      Map.entry("OkHttpIT", 26),
      Map.entry("ApacheAsyncContractIT", 33),
      Map.entry("MetricsIT", 28),
      Map.entry("HistoryScaleIT", 27),
      Map.entry("OkHttpContractIT", 27),
      Map.entry("CrashIT", 26),
      Map.entry("ShortLivedJvmIT", 12),
      Map.entry("VertxContractIT", 25),
      Map.entry("HostWalletIT", 23),
      Map.entry("BedrockIT", 22),
      Map.entry("LeakIT", 22),
      Map.entry("ApacheHttpClientContractIT", 1),
      Map.entry("SpringIT", 21),
      Map.entry("SpringContractIT", 20),
      Map.entry("JettyContractIT", 18),
      Map.entry("HttpUrlConnectionIT", 18),
      Map.entry("SecretsIT", 17),
      Map.entry("CliIT", 17),
      Map.entry("ReactorNettyContractIT", 13),
      Map.entry("LangChain4jIT", 12),
      Map.entry("JdkHttpContractIT", 14),
      Map.entry("SdkIT", 11),
      Map.entry("RobustnessIT", 11),
      Map.entry("AttachIT", 11),
      Map.entry("OllamaIT", 11),
      Map.entry("HttpUrlConnectionContractIT", 1),
      Map.entry("VertexGrpcIT", 10),
      Map.entry("GoogleGenAiIT", 9),
      Map.entry("AttributionIT", 9),
      Map.entry("Apache4ContractIT", 8),
      Map.entry("BudgetIT", 8),
      Map.entry("RemoteWalletIT", 8),
      Map.entry("UnmeteredTrafficIT", 8),
      Map.entry("ApacheAsyncIT", 8),
      Map.entry("JdkHttpClientIT", 7),
      Map.entry("PrivateFilesIT", 7),
      Map.entry("LocalWalletIT", 7),
      Map.entry("ReconcileIT", 6),
      Map.entry("ApacheHttpClientIT", 6),
      Map.entry("AgentJarIT", 0));

  @Override
  public void orderClasses(ClassOrdererContext context) {
    List<ClassDescriptor> longestFirst = new ArrayList<>(context.getClassDescriptors());
    longestFirst.sort(Comparator.comparingInt((ClassDescriptor c) -> seconds(c.getTestClass())).reversed()
        .thenComparing(c -> c.getTestClass().getName()));
    Map<ClassDescriptor, Integer> position = new HashMap<>();
    List<ClassDescriptor> order = arrange(longestFirst);
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    context.getClassDescriptors().sort(Comparator.comparingInt(position::get));
  }

  /** The longest at both ends, alternately, the shortest in the middle: {@code [1, 3, 5, ..., 6, 4, 2]}. */
  static <T> List<T> arrange(List<T> longestFirst) {
    List<T> front = new ArrayList<>();
    Deque<T> back = new ArrayDeque<>();
    for (int i = 0; i < longestFirst.size(); i++) {
      if (i % 2 == 0) {
        front.add(longestFirst.get(i));
      } else {
        back.addFirst(longestFirst.get(i));
      }
    }
    front.addAll(back);
    return front;
  }

  static int seconds(Class<?> test) {
    return SECONDS.getOrDefault(test.getSimpleName(), UNLISTED);
  }
}
