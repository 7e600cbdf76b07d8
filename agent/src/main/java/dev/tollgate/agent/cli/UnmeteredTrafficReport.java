package dev.tollgate.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.agent.instrument.net.UnmeteredTrafficFile;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code doctor}'s view of the unmetered connections the agents on a data dir saved ({@link
 * UnmeteredTrafficFile}): one line per {@code host:port}, opening class and action, summed over the
 * JVMs that saw it, with its first and last sighting and the process that saw it last.
 */
final class UnmeteredTrafficReport {
  private UnmeteredTrafficReport() {}

  /** One {@code host:port}, class and action, over every JVM. */
  static final class Line {
    /** What names the line (host, port, class, provider, action): the same in every JVM's entry. */
    final UnmeteredTrafficFile.Connection what;
    long count;
    Instant firstSeen;
    Instant lastSeen;
    long pid;

    Line(UnmeteredTrafficFile.Connection c) {
      this.what = c;
      this.firstSeen = c.firstSeen;
      this.lastSeen = c.lastSeen;
      this.pid = c.pid;
    }

    /** Adds one JVM's entry: the earliest sighting stays first, the latest names the process. */
    void add(UnmeteredTrafficFile.Connection c) {
      count += c.count;
      if (c.firstSeen.isBefore(firstSeen)) {
        firstSeen = c.firstSeen;
      }
      if (c.lastSeen.isAfter(lastSeen)) {
        lastSeen = c.lastSeen;
        pid = c.pid;
      }
    }

    String detail() {
      String who = what.overflow ? "clients past the first " + UnmeteredConnections.MAX_SERIES + " (counted together)" : what.client;
      String where = what.overflow ? " to metered endpoints" : " to " + what.host + ":" + what.port + " (" + what.provider + ")";
      String outcome = what.action.equals(UnmeteredConnections.REFUSED) ? "refused (tollgate.unmetered-traffic=block)"
          : "let through, neither metered nor capped";
      return who + " opened " + count + " connection(s)" + where + " that no hooked client made: " + outcome + "; first " + firstSeen
          + ", last " + lastSeen + " (pid " + pid + ")";
    }
  }

  /** The lines of every JVM's entries, in order of host, port, class and action; the overflow last. */
  static List<Line> lines(List<UnmeteredTrafficFile.Connection> connections) {
    Map<String, Line> lines = new LinkedHashMap<>();
    for (UnmeteredTrafficFile.Connection c : connections) {
      lines.computeIfAbsent(c.host + ':' + c.port + ' ' + c.client + ' ' + c.action, k -> new Line(c)).add(c);
    }
    List<Line> out = new ArrayList<>(lines.values());
    out.sort(Comparator.comparing((Line l) -> l.what.overflow).thenComparing(l -> l.what.host).thenComparingInt(l -> l.what.port)
        .thenComparing(l -> l.what.client).thenComparing(l -> l.what.action));
    return out;
  }

  /** {@code doctor --json}'s {@code unmetered_traffic} array. */
  static void toJson(List<Line> lines, ArrayNode out) {
    for (Line l : lines) {
      UnmeteredTrafficFile.Connection c = l.what;
      out.addObject().put("host", c.host).put("port", c.port).put("client", c.client).put("provider", c.provider).put("action", c.action)
          .put("count", l.count).put("first_seen", l.firstSeen.toString()).put("last_seen", l.lastSeen.toString()).put("pid", l.pid)
          .put("overflow", c.overflow);
    }
  }
}
