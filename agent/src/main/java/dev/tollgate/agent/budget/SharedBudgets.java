package dev.tollgate.agent.budget;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * Budgets kept where every JVM on one wallet sees them ({@code tollgate.wallet=redis}): one round
 * trip per call that matches a scoped budget reserves on all of them or none, fleet-wide, so N
 * JVMs never spend more than a budget plus the calls in flight. When it cannot be reached,
 * {@link Budgets} enforces per JVM and reports the spend later.
 */
public interface SharedBudgets {

  /** The name under which one scope's budget in one period is kept (computed once per scope and period). */
  String keyFor(Map<String, String> scope, BudgetPeriod period, Instant start);

  /**
   * Holds {@code amount} on every budget (all or none when {@code mustFit} and one has no room).
   *
   * @param calls one per budget: its key, limit, the spend to seed a key the store does not have yet
   *     (this JVM's journal), spend not reported yet, and when the key may be forgotten
   */
  Answer reserve(Call[] calls, long amount, boolean mustFit) throws IOException;

  /** Gives back {@code held} on every budget and adds {@code cost} to each one's spend. */
  Answer settle(Call[] calls, long held, long cost) throws IOException;

  /** One budget's part of a round trip. */
  final class Call {
    final String key;
    final long limit;
    final long seed;
    final long late;
    final long forgetAtMillis;

    Call(String key, long limit, long seed, long late, long forgetAtMillis) {
      this.key = key;
      this.limit = limit;
      this.seed = seed;
      this.late = late;
      this.forgetAtMillis = forgetAtMillis;
    }

    public String key() {
      return key;
    }

    public long limit() {
      return limit;
    }

    public long seed() {
      return seed;
    }

    public long late() {
      return late;
    }

    public long forgetAtMillis() {
      return forgetAtMillis;
    }
  }

  /** The store's answer: the budget that refused (-1 for none), and each budget's fleet-wide spend and holds. */
  final class Answer {
    final int refused;
    final long[] spent;
    final long[] held;

    public Answer(int refused, long[] spent, long[] held) {
      this.refused = refused;
      this.spent = spent;
      this.held = held;
    }
  }
}
