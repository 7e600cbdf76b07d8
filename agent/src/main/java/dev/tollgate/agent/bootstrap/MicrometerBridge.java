package dev.tollgate.agent.bootstrap;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The agent's Micrometer support, seen from the agent: it registers function-based meters in the
 * application's {@code Metrics.globalRegistry}, so it is defined beside each copy of Micrometer the
 * application loads. Every meter reads a value Tollgate keeps anyway; nothing is recorded into
 * Micrometer per call. The caller keeps the suppliers reachable (Micrometer holds function meters'
 * state weakly). Tags are name/value pairs.
 */
public abstract class MicrometerBridge extends SupportBridge {
  /** The null object: registers nothing. */
  public static final MicrometerBridge UNMETERED = new MicrometerBridge() {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public void counter(String name, String description, @Nullable String baseUnit, String[] tags, DoubleSupplier value) {}

    @Override
    public void gauge(String name, String description, @Nullable String baseUnit, String[] tags, DoubleSupplier value) {}

    @Override
    public void timer(String name, String description, String[] tags, LongSupplier count, DoubleSupplier totalSeconds) {}
  };

  /** A monotonic count ({@code FunctionCounter}). */
  public abstract void counter(String name, String description, @Nullable String baseUnit, String[] tags, DoubleSupplier value);

  /** A value that goes up and down ({@code Gauge}). */
  public abstract void gauge(String name, String description, @Nullable String baseUnit, String[] tags, DoubleSupplier value);

  /** A count of events and their total time in seconds ({@code FunctionTimer}). */
  public abstract void timer(String name, String description, String[] tags, LongSupplier count, DoubleSupplier totalSeconds);
}
