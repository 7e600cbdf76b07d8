package dev.tollgate.agent.fuzz;

import java.util.ArrayList;
import java.util.List;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * The shared set-up of the property tests: a fixed seed (so a failure reproduces, and shrinks to
 * its smallest input), a capped number of tries, and generators of {@link Mutation}s and chunkings.
 * {@code -Dtollgate.fuzz.seed=N} and {@code -Dtollgate.fuzz.tries=N} widen a run by hand.
 */
public final class Fuzz {
  public static final long SEED = Long.getLong("tollgate.fuzz.seed", 0x70116a7eL);
  public static final int TRIES = Integer.getInteger("tollgate.fuzz.tries", 1000);

  private Fuzz() {}

  /** A theory of {@link #TRIES} tries from {@link #SEED}. */
  public static QuickTheory qt() {
    return qt(TRIES);
  }

  /** A theory of {@code tries} tries (scaled like {@link #TRIES} when that is set) from {@link #SEED}. */
  public static QuickTheory qt(int tries) {
    int scaled = (int) Math.max(1, (long) tries * TRIES / 1000);
    return QuickTheory.qt().withFixedSeed(SEED).withExamples(scaled).withShrinkCycles(200);
  }

  /** A whole number in {@code [min, max]}. */
  public static Gen<Integer> between(int min, int max) {
    return in -> (int) in.next(Constraint.between(min, max));
  }

  /** One mutation of any kind. */
  public static Gen<Mutation> mutation() {
    Mutation.Kind[] kinds = Mutation.Kind.values();
    return in -> new Mutation(kinds[(int) in.next(Constraint.between(0, kinds.length - 1))],
        (int) in.next(Constraint.between(0, Mutation.SCALE - 1)), (int) in.next(Constraint.between(0, Integer.MAX_VALUE)));
  }

  /** One to {@code max} mutations, applied in order. */
  public static Gen<List<Mutation>> mutations(int max) {
    Gen<Mutation> one = mutation();
    return in -> {
      int n = (int) in.next(Constraint.between(1, max));
      List<Mutation> all = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        all.add(one.generate(in));
      }
      return all;
    };
  }

  /** Cut points for a body of {@code length} bytes: chunks of 1 to {@code maxChunk} bytes, as a socket delivers them. */
  public static int[] cuts(int length, long seed, int maxChunk) {
    java.util.Random random = new java.util.Random(seed);
    List<Integer> cuts = new ArrayList<>();
    for (int at = 1 + random.nextInt(maxChunk); at < length; at += 1 + random.nextInt(maxChunk)) {
      cuts.add(at);
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** An action that may throw anything. */
  public interface Action {
    void run() throws Throwable;
  }

  /** Runs {@code action}; anything it throws (an Error included) fails the property, with {@code what} as context. */
  public static void neverThrows(Object what, Action action) {
    try {
      action.run();
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("threw " + t + " on " + what, t);
    }
  }
}
