import dev.tollgate.agent.pricing.PriceCatalog;
import java.util.Arrays;

/**
 * Times loading the bundled price catalog from an agent jar: the first load in a fresh JVM (class
 * loading and JSON parsing included, what agent start-up pays) and the median of later loads.
 *
 *     java -cp agent/target/tollgate-agent.jar tools/pricing/CatalogLoadTiming.java
 */
public class CatalogLoadTiming {
  public static void main(String[] args) {
    long t0 = System.nanoTime();
    PriceCatalog first = PriceCatalog.load(null);
    long cold = System.nanoTime() - t0;
    long[] warm = new long[100];
    for (int i = 0; i < warm.length; i++) {
      long t = System.nanoTime();
      PriceCatalog.load(null);
      warm[i] = System.nanoTime() - t;
    }
    Arrays.sort(warm);
    System.out.printf("entries=%d cold_ms=%.1f warm_median_ms=%.2f%n", first.size(), cold / 1e6, warm[warm.length / 2] / 1e6);
  }
}
