package dev.tollgate.agent.log;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The agent's own logger: one line per message on standard error, prefixed {@code [tollgate]}.
 *
 * <p>The agent cannot use the application's logging (it may not have any, or may configure it
 * after the agent starts), so it writes plain lines. {@link #once} keeps a repeated problem to a
 * single line. Messages must never carry credentials: callers pass redacted values only.
 */
public final class Log {

  /** Severity, lowest first. */
  public enum Level { DEBUG, INFO, WARN, ERROR, OFF }

  private static volatile Level threshold = Level.INFO;
  private static final PrintStream out = System.err;
  private static final Set<String> onceKeys = ConcurrentHashMap.newKeySet();

  private Log() {}

  /**
   * {@code message} as a clause inside a line ({@code "…: read-only file system"}): its first letter
   * in lower case, as the JDK's and libraries' messages start with a capital ({@code "Read-only file system"}).
   */
  public static String clause(String message) {
    return message.isEmpty() ? message : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
  }

  /** Sets the lowest level that is printed. */
  public static void setLevel(Level level) {
    threshold = level;
  }

  public static boolean isDebug() {
    return threshold == Level.DEBUG;
  }

  public static void debug(String message) {
    log(Level.DEBUG, message, null);
  }

  public static void info(String message) {
    log(Level.INFO, message, null);
  }

  public static void warn(String message) {
    log(Level.WARN, message, null);
  }

  public static void error(String message, @Nullable Throwable t) {

    log(Level.ERROR, message, t);
  }

  /**
   * Logs {@code message} the first time {@code key} is seen and never again in this JVM, so a fault
   * hit on every call produces one line.
   */
  public static void once(String key, Level level, String message, @Nullable Throwable t) {
    if (onceKeys.add(key)) {
      log(level, message, t);
    }
  }

  private static void log(Level level, String message, @Nullable Throwable t) {
    if (level.ordinal() < threshold.ordinal()) {
      return;
    }
    StringBuilder line = new StringBuilder(96).append("[tollgate] ").append(level).append(' ').append(message);
    if (t != null) {
      // The type and message of the cause, not a stack trace: one line per event.
      line.append(" (").append(t.getClass().getName());
      if (t.getMessage() != null) {
        line.append(": ").append(t.getMessage());
      }
      line.append(')');
    }
    out.println(line);
    if (t != null && isDebug()) {
      t.printStackTrace(out);
    }
  }
}
