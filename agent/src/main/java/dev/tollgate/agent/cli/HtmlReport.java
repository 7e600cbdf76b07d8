package dev.tollgate.agent.cli;

import dev.tollgate.agent.journal.Reconciliation;
import dev.tollgate.agent.pricing.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Draws a {@link SpendReport} as one self-contained page: inline CSS, inline SVG charts, one tiny
 * inline script, and a Content-Security-Policy that forbids loading anything, so the page opens
 * offline and can never reach the network. The markup is well-formed XML. Every figure is printed
 * exactly as {@code report --json} prints it and also carried in a {@code data-value} attribute.
 */
final class HtmlReport {
  static final int TABLE_ROWS = 50;
  static final int TOP = 10;
  static final int DRIFT_ROWS = 20;
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";
  // Counts the bars once the page is laid out and writes any script error into the page, for
  // headless checks; it has neither '<' nor '&', so the page stays well-formed XML.
  private static final String SCRIPT = "(function(){var d=document.documentElement;"
      + "window.addEventListener('error',function(e){d.setAttribute('data-errors',(d.getAttribute('data-errors')||'')+String(e.message)+';');});"
      + "window.addEventListener('load',function(){d.setAttribute('data-bars',String(document.querySelectorAll('svg rect.bar').length));"
      + "d.setAttribute('data-charts',String(document.querySelectorAll('svg.chart').length));});})();";
  private static final String CSS = "body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}"
      + "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}"
      + ".meta{color:#666;margin:0 0 16px}.cards{display:flex;flex-wrap:wrap;gap:10px}"
      + ".card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:120px}.card .label{display:block;color:#666;font-size:12px}"
      + ".card .value{font-size:20px;font-weight:600}table{border-collapse:collapse;width:100%;margin:8px 0}"
      + "th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
      + "svg.chart{width:100%;height:auto;font-size:10px;fill:#444}svg .axis{stroke:#999}svg .grid{stroke:#eee}"
      + ".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px;font-size:12px}"
      + ".swatch{display:inline-block;width:10px;height:10px;margin-right:4px}.note{color:#666;font-size:12px}";

  private final SpendReport r;
  private final StringBuilder out = new StringBuilder(64 * 1024);

  private HtmlReport(SpendReport r) {
    this.r = r;
  }

  /** The page for {@code report}, stamped {@code generatedAt}. */
  static String render(SpendReport report, Instant generatedAt) {
    return new HtmlReport(report).page(generatedAt);
  }

  private String page(Instant generatedAt) {
    out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\"/>")
        .append("<title>Tollgate spend report</title><style>").append(CSS).append("</style><script>").append(SCRIPT)
        .append("</script></head>\n<body>\n<h1>Tollgate spend report</h1>");
    out.append("<p class=\"meta\">").append(Html.escape(rangeText())).append(" · grouped by ").append(Html.escape(r.by))
        .append(" · generated ").append(generatedAt).append("</p>\n");
    note("day-resolution", r.days.rolledUpOnly, JournalDays.PER_DAY + "; the charts are drawn per day");
    note("counted-whole", r.days.cut, JournalDays.WHOLE);
    summary();
    if (r.byDimension.totals.calls + r.byDimension.totals.blocked == 0) {
      out.append("<p id=\"empty\">No metered calls in this range.</p>\n");
    } else {
      overTime();
      out.append("<h2>By ").append(Html.escape(r.by)).append("</h2>");
      totalsTable("by-dimension", r.by, r.byDimension.groups, TABLE_ROWS, true);
      topModels();
      topScopes();
    }
    budgets();
    drift();
    return out.append("</body></html>\n").toString();
  }

  private void note(String id, List<java.time.LocalDate> days, String text) {
    if (!days.isEmpty()) {
      out.append("<p class=\"note\" id=\"").append(id).append("\">").append(Html.escape(JournalDays.list(days) + ": " + text))
          .append("</p>\n");
    }
  }

  private String rangeText() {
    String from = r.range.from == null ? "the first record" : r.range.from.toString();
    String to = r.range.until == null ? "the last record" : r.range.until.minusNanos(1).toString();
    return "from " + from + " to " + to;
  }

  private void summary() {
    Report.Totals t = r.byDimension.totals;
    out.append("<div class=\"cards\" id=\"totals\">");
    card("Cost (credits)", "cost", cost(t.costNanos));
    card("Calls", "calls", count(t.calls));
    card("Blocked calls", "blocked", count(t.blocked));
    card("Input tokens", "input_tokens", count(t.inputTokens));
    card("Output tokens", "output_tokens", count(t.outputTokens));
    card("Cached tokens", "cache_read_tokens", count(t.cacheReadTokens));
    out.append("</div>\n");
  }

  private void card(String label, String field, String value) {
    out.append("<div class=\"card\"><span class=\"label\">").append(label).append("</span><span class=\"value\" data-field=\"")
        .append(field)
        .append("\" data-value=\"").append(value).append("\">").append(value).append("</span></div>");
  }

  private void overTime() {
    List<String> labels = new ArrayList<>();
    r.buckets.forEach(b -> labels.add(b.key));
    String unit = r.byTime.by;
    long[][] spend = new long[r.buckets.size()][];
    for (int i = 0; i < spend.length; i++) {
      Map<String, Long> costs = r.buckets.get(i).costBySeries;
      spend[i] = r.series.stream().mapToLong(s -> costs.getOrDefault(s, 0L)).toArray();
    }
    out.append("<h2>Spend per ").append(unit).append(" by ").append(Html.escape(r.by)).append("</h2>");
    legend(r.series);
    out.append(Svg.stacked("spend-chart", labels, r.series, spend, HtmlReport::cost)).append('\n');
    out.append("<h2>Calls and blocked calls per ").append(unit).append("</h2>");
    legend(List.of("calls", "blocked"));
    out.append(Svg.stacked("calls-chart", labels, List.of("calls", "blocked"), series(t -> t.calls, t -> t.blocked), HtmlReport::count))
        .append('\n');
    out.append("<h2>Tokens per ").append(unit).append("</h2>");
    legend(List.of("input", "output"));
    out.append(
        Svg.stacked("tokens-chart", labels, List.of("input", "output"), series(t -> t.inputTokens, t -> t.outputTokens), HtmlReport::count))
        .append('\n');
    out.append("<h2>Per ").append(unit).append("</h2>");
    totalsTable("by-time", unit, r.byTime.groups, Integer.MAX_VALUE, false);
  }

  @SafeVarargs
  private final long[][] series(ToLongFunction<Report.Totals>... fields) {
    long[][] v = new long[r.buckets.size()][fields.length];
    for (int i = 0; i < v.length; i++) {
      for (int f = 0; f < fields.length; f++) {
        v[i][f] = fields[f].applyAsLong(r.buckets.get(i).totals);
      }
    }
    return v;
  }

  private void legend(List<String> series) {
    out.append("<ul class=\"legend\">");
    for (int i = 0; i < series.size(); i++) {
      out.append("<li><span class=\"swatch\" style=\"background:").append(Svg.color(i)).append("\"></span>")
          .append(Html.escape(series.get(i)))
          .append("</li>");
    }
    out.append("</ul>");
  }

  private void topModels() {
    out.append("<h2>Top models</h2>");
    horizontal("models-chart", r.byModel.groups);
    totalsTable("top-models", "model", r.byModel.groups, TOP, false);
  }

  /** One table per attribute, except the one the page is grouped by (its table is above). */
  private void topScopes() {
    if (r.byAttribute.isEmpty() || r.byAttribute.size() == 1 && r.byAttribute.containsKey(r.by)) {
      return;
    }
    out.append("<h2>Top scopes</h2>");
    r.byAttribute.forEach((name, report) -> {
      if (!name.equals(r.by)) {
        out.append("<h3>").append(Html.escape(name)).append("</h3>");
        totalsTable("top-" + name, name, report.groups, TOP, false);
      }
    });
  }

  private void horizontal(String id, List<Report.Totals> groups) {
    List<Report.Totals> top = groups.subList(0, Math.min(TOP, groups.size()));
    List<String> labels = new ArrayList<>();
    top.forEach(t -> labels.add(t.key));
    out.append(Svg.horizontal(id, labels, top.stream().mapToLong(t -> t.costNanos).toArray(), HtmlReport::cost)).append('\n');
  }

  /** The rows of {@code report --json --by by}, the first {@code limit} of them. */
  private void totalsTable(String id, String by, List<Report.Totals> rows, int limit, boolean withTotal) {
    out.append("<table id=\"").append(Html.escape(id)).append("\" data-by=\"").append(Html.escape(by)).append("\"><thead><tr><th>")
        .append(Html.escape(by))
        .append("</th><th class=\"num\">calls</th><th class=\"num\">blocked</th><th class=\"num\">input tokens</th>")
        .append("<th class=\"num\">output tokens</th><th class=\"num\">cached tokens</th><th class=\"num\">cost</th></tr></thead><tbody>");
    for (int i = 0; i < rows.size() && i < limit; i++) {
      row(rows.get(i), "group");
    }
    if (withTotal) {
      row(r.byDimension.totals, "total");
    }
    out.append("</tbody></table>");
    if (rows.size() > limit) {
      out.append("<p class=\"note\">").append(rows.size() - limit).append(" more; see <code>tollgate report --by ").append(Html.escape(by))
          .append("</code>.</p>");
    }
    out.append('\n');
  }

  private void row(Report.Totals t, String kind) {
    out.append("<tr class=\"").append(kind).append("\" data-key=\"").append(Html.escape(t.key)).append("\"><td>").append(Html.escape(t.key))
        .append("</td>");
    cell("calls", count(t.calls));
    cell("blocked", count(t.blocked));
    cell("input_tokens", count(t.inputTokens));
    cell("output_tokens", count(t.outputTokens));
    cell("cache_read_tokens", count(t.cacheReadTokens));
    cell("cost", cost(t.costNanos));
    out.append("</tr>");
  }

  private void cell(String field, String value) {
    out.append("<td class=\"num\" data-field=\"").append(field).append("\" data-value=\"").append(value).append("\">").append(value)
        .append("</td>");
  }

  private void budgets() {
    out.append("<h2>Budgets</h2>");
    if (r.budgets.isEmpty()) {
      out.append(
          "<p id=\"no-budgets\">No budget: this data dir meters only (or its wallet is remote: see <code>tollgate balance</code>).</p>\n");
      return;
    }
    out.append("<table id=\"budgets\"><thead><tr><th>scope</th><th>period</th><th class=\"num\">limit</th><th class=\"num\">spent</th>")
        .append("<th class=\"num\">remaining</th><th>resets at</th></tr></thead><tbody>");
    for (SpendReport.Budget b : r.budgets) {
      out.append("<tr data-key=\"").append(Html.escape(scope(b.scope))).append("\"><td>").append(Html.escape(scope(b.scope)))
          .append("</td><td>")
          .append(b.period).append("</td>");
      cell("limit", plain(b.limit));
      cell("spent", plain(b.spent));
      cell("remaining", plain(b.remaining));
      out.append("<td>").append(b.resetsAt == null ? "never" : b.resetsAt.toString()).append("</td></tr>");
    }
    out.append("</tbody></table>\n");
  }

  private static String scope(Map<String, String> scope) {
    return scope.isEmpty() ? "wallet" : scope.toString();
  }

  private void drift() {
    if (r.reconciliations.isEmpty()) {
      return;
    }
    long remote = 0;
    long local = 0;
    for (Reconciliation c : r.reconciliations) {
      remote += Money.toNanos(c.remote);
      local += Money.toNanos(c.local);
    }
    out.append("<h2>Drift of the remote wallet</h2><div class=\"cards\" id=\"drift-totals\">");
    card("Windows", "windows", count(r.reconciliations.size()));
    card("Remote spend", "remote", cost(remote));
    card("Metered spend", "local", cost(local));
    card("Drift (remote − metered)", "drift", cost(remote - local));
    out.append("</div>");
    List<String> labels = new ArrayList<>();
    r.buckets.forEach(b -> labels.add(b.key));
    out.append(Svg.signed("drift-chart", labels, r.buckets.stream().mapToLong(b -> b.driftNanos).toArray(), HtmlReport::cost)).append('\n');
    driftTable();
  }

  private void driftTable() {
    List<Reconciliation> largest = new ArrayList<>(r.reconciliations);
    largest.sort(Comparator.comparing((Reconciliation c) -> c.drift.abs()).reversed().thenComparing(c -> c.windowEnd));
    largest = largest.subList(0, Math.min(DRIFT_ROWS, largest.size()));
    largest.sort(Comparator.comparing(c -> c.windowEnd));
    out.append("<table id=\"drift\"><thead><tr><th>source</th><th>window start</th><th>window end</th><th class=\"num\">remote</th>")
        .append("<th class=\"num\">metered</th><th class=\"num\">drift</th></tr></thead><tbody>");
    for (Reconciliation c : largest) {
      out.append("<tr><td>").append(Html.escape(c.source)).append("</td><td>").append(c.windowStart).append("</td><td>").append(c.windowEnd)
          .append("</td>");
      cell("remote", plain(c.remote));
      cell("local", plain(c.local));
      cell("drift", plain(c.drift));
      out.append("</tr>");
    }
    out.append("</tbody></table><p class=\"note\">The ").append(largest.size()).append(" windows with the largest drift of ")
        .append(r.reconciliations.size()).append(".</p>\n");
  }

  static String cost(long nanos) {
    return Money.fromNanos(nanos).toPlainString();
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%d", n);
  }

  private static String plain(@Nullable BigDecimal d) {
    return d == null ? "-" : cost(Money.toNanos(d)); // as report --json prints amounts: no trailing zeros
  }
}
