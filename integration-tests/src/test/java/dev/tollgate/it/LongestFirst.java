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
 * <p>{@link #SECONDS} holds each class's wall time on two cores (the {@code failsafe-reports} of a quiet
 * {@code ./mvnw verify} of main, {@code fd93fd8}, on 2026-12-07: 4 min 55 s; {@code HistoryScaleIT} and
 * {@code FaultMatrixIT} scaled by their before/after ratio of the verify-time pass, measured back to back;
 * a contract group's time is on the class listed first, whose first test forks the JVMs its partner then only
 * reads, see {@code ClientContractIT.SHARED_JVMS}); a class not listed counts as {@link #UNLISTED}. A stale
 * figure only makes the run a little longer, never changes what it tests: update them when a class grows or
 * shrinks by much (see docs/contributing/running-tests.md).
 */
public final class LongestFirst implements ClassOrderer {
  static final int UNLISTED = 5;
  static final Map<String, Integer> SECONDS = Map.ofEntries(
      Map.entry("SharedWalletIT", 27),
      Map.entry("HistoryScaleIT", 28),
      Map.entry("OkHttpIT", 28),
      Map.entry("CrashIT", 20),
      Map.entry("HostWalletIT", 20),
      Map.entry("OkHttpContractIT", 19),
      Map.entry("SpringIT", 19),
      Map.entry("LeakIT", 19),
      Map.entry("FaultMatrixIT", 17),
      Map.entry("MetricsIT", 17),
      Map.entry("ApacheAsyncContractIT", 15),
      Map.entry("ApacheHttpClientContractIT", 1),
      Map.entry("JettyContractIT", 14),
      Map.entry("VertxContractIT", 14),
      Map.entry("SpringContractIT", 14),
      Map.entry("BedrockIT", 13),
      Map.entry("ConfigIT", 12),
      Map.entry("CliIT", 11),
      Map.entry("HttpUrlConnectionIT", 10),
      Map.entry("JdkHttpContractIT", 9),
      Map.entry("HttpUrlConnectionContractIT", 1),
      Map.entry("ReactorNettyContractIT", 9),
      Map.entry("ShortLivedJvmIT", 9),
      Map.entry("SecretsIT", 8),
      Map.entry("SdkIT", 8),
      Map.entry("OllamaIT", 8),
      Map.entry("LangChain4jIT", 8),
      Map.entry("AttachIT", 7),
      Map.entry("VertexGrpcIT", 7),
      Map.entry("GoogleGenAiIT", 7),
      Map.entry("AttributionIT", 7),
      Map.entry("Apache4ContractIT", 6),
      Map.entry("UnmeteredTrafficIT", 5),
      Map.entry("JdkHttpClientIT", 5),
      Map.entry("RobustnessIT", 5),
      Map.entry("RemoteWalletIT", 5),
      Map.entry("BudgetIT", 5),
      Map.entry("AlertsIT", 5),
      Map.entry("ReconcileIT", 4),
      Map.entry("ApacheAsyncIT", 4),
      Map.entry("PrivateFilesIT", 4),
      Map.entry("LocalWalletIT", 4),
      Map.entry("ApacheHttpClientIT", 3),
      Map.entry("AzureOpenAiIT", 3),
      Map.entry("HugeStreamIT", 3),
      Map.entry("IsolationIT", 3),
      Map.entry("OverspendIT", 3),
      Map.entry("ShutdownIT", 3),
      Map.entry("ProviderPricesIT", 1),
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
