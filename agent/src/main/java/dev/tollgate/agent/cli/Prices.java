package dev.tollgate.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.pricing.CatalogDiff;
import dev.tollgate.agent.pricing.ModelPrice;
import dev.tollgate.agent.pricing.PriceCatalog;
import dev.tollgate.agent.pricing.PricingException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tollgate prices [--model M] [--provider P] [--json]}: what the agent would charge, in USD
 * per million tokens, from the bundled catalog plus the configured {@code tollgate.pricing-file};
 * {@code tollgate prices --diff FILE [--json]}: every field on which that catalog and a LiteLLM-format
 * file disagree. Sends nothing, needs no data dir.
 */
final class Prices {
  static final String USAGE = "usage: java -jar tollgate-agent.jar prices [--model MODEL] [--provider PROVIDER] [--json]"
      + " | prices --diff LITELLM-FILE.json [--json]";

  // Set by parse() when given; each is checked for null where it is optional.
  @SuppressWarnings("NullAway.Init")
  private String model;
  @SuppressWarnings("NullAway.Init")
  private String provider;
  @SuppressWarnings("NullAway.Init")
  private Path diff;

  private boolean json;

  private Prices() {}

  /** Runs the command; returns the exit code (0 ok, 2 usage, configuration or price file error). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Prices p = new Prices();
    try {
      p.parse(args);
      TollgateConfig config = TollgateConfig.load(ConfigSource.fromJvm(null));
      PriceCatalog catalog = PriceCatalog.load(config.pricingFile, config.fallbackPrice);
      if (p.diff != null) {
        p.printDiff(CatalogDiff.of(catalog, p.diff), out);
      } else {
        p.printPrices(catalog, out);
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    } catch (ConfigException | PricingException | JsonProcessingException e) {
      err.println("tollgate: " + e.getMessage());
      return 2;
    }
  }

  private void parse(String[] args) {
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--model":
          model = Cli.value(args, ++i, "--model");
          break;
        case "--provider":
          provider = Cli.value(args, ++i, "--provider");
          break;
        case "--diff":
          diff = Path.of(Cli.value(args, ++i, "--diff"));
          break;
        case "--json":
          json = true;
          break;
        default:
          throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    if (diff != null && (model != null || provider != null)) {
      throw new IllegalArgumentException("prices --diff compares the whole catalog: it takes no --model or --provider");
    }
  }

  /** One row: the provider column, the name asked for, and the entry that prices it. */
  private static final class Line {
    final String provider;
    final String name;
    final ModelPrice price;

    Line(String provider, String name, ModelPrice price) {
      this.provider = provider;
      this.name = name;
      this.price = price;
    }
  }

  /** The rows to show: one model's effective price (none when unpriced), or the entries of one table, or all. */
  private List<Line> selected(PriceCatalog catalog) {
    List<Line> lines = new ArrayList<>();
    if (model != null) {
      ModelPrice p = catalog.find(provider, model);
      if (p != null) {
        lines.add(new Line(provider == null ? "*" : provider, model, p));
      }
      return lines;
    }
    for (Map.Entry<String, List<ModelPrice>> t : catalog.entries().entrySet()) {
      if (provider == null || provider.equals(t.getKey())) {
        t.getValue().forEach(p -> lines.add(new Line(t.getKey(), p.model, p)));
      }
    }
    return lines;
  }

  private void printPrices(PriceCatalog catalog, PrintStream out) throws JsonProcessingException {
    List<Line> lines = selected(catalog);
    if (json) {
      ObjectNode root = Cli.JSON.createObjectNode().put("as_of", catalog.asOf()).put("unit", "USD per million tokens");
      ArrayNode list = root.putArray("prices");
      lines.forEach(l -> list.add(json(l)));
      if (model != null && lines.isEmpty()) {
        root.set("fallback", json(new Line("*", model, catalog.fallback())));
      }
      out.println(Cli.JSON.writeValueAsString(root));
      return;
    }
    if (model != null && lines.isEmpty()) {
      ModelPrice f = catalog.fallback();
      out.println(model + " has no price in the catalog" + (provider == null ? "" : " for provider " + provider)
          + ": reserved and charged at the fallback, " + plain(f.input) + " input / " + plain(f.output) + " output");
      return;
    }
    Table table = new Table("PROVIDER", "MODEL", "PRICED AS", "INPUT", "CACHED", "CACHE WRITE", "OUTPUT", "LONG CONTEXT", "CHECKED");
    for (Line l : lines) {
      ModelPrice p = l.price;
      table.row(l.provider, l.name, p.model, plain(p.input), plain(p.cachedInput), plain(p.cacheWrite), plain(p.output), longContext(p),
          p.checked == null ? "-" : p.checked);
    }
    table.print(out);
    out.println("USD per million tokens; catalog as of " + catalog.asOf() + (provider == null && model == null
        ? "; provider * is the model-only price, used on any provider without its own entry" : ""));
  }

  private static ObjectNode json(Line l) {
    ModelPrice p = l.price;
    ObjectNode n = Cli.JSON.createObjectNode().put("provider", l.provider).put("model", l.name).put("priced_as", p.model);
    n.put("input", p.input).put("cached_input", p.cachedInput).put("cache_write", p.cacheWrite).put("cache_write_1h", p.cacheWrite1h)
        .put("output", p.output).put("max_output_tokens", p.maxOutputTokens);
    if (p.longContext != null) {
      ModelPrice t = p.longContext;
      n.putObject("long_context").put("threshold_tokens", p.longContextThreshold).put("input", t.input)
          .put("cached_input", t.cachedInput).put("cache_write", t.cacheWrite).put("cache_write_1h", t.cacheWrite1h).put("output",
              t.output);
    }
    n.put("source", p.source).put("checked", p.checked).put("notes", p.notes);
    return n;
  }

  private void printDiff(CatalogDiff d, PrintStream out) throws JsonProcessingException {
    if (json) {
      ObjectNode root = Cli.JSON.createObjectNode().put("compared", d.compared).put("disagreements", d.rows.size())
          .put("unexplained", d.unexplained()).put("unpriced", d.unpriced.size());
      ArrayNode rows = root.putArray("rows");
      d.rows.forEach(r -> rows.addObject().put("entry", r.entry).put("priced_as", r.pricedAs).put("field", r.field)
          .put("ours", r.ours).put("theirs", r.theirs).put("explained", r.notes != null).put("notes", r.notes));
      out.println(Cli.JSON.writeValueAsString(root));
      return;
    }
    Table table = new Table("ENTRY", "PRICED AS", "FIELD", "OURS", "THEIRS", "NOTES");
    d.rows.forEach(r -> table.row(r.entry, r.pricedAs, r.field, r.ours, r.theirs, r.notes == null ? "-" : "explained"));
    if (!d.rows.isEmpty()) {
      table.print(out);
    }
    out.println(d.rows.size() + " disagreements (" + d.unexplained() + " not explained by the entry's notes) in " + d.compared
        + " entries priced by both; " + d.unpriced.size() + " entries of the file are not in the catalog");
  }

  private static String longContext(ModelPrice p) {
    return p.longContext == null ? "-"
        : ">" + p.longContextThreshold / 1000 + "k: " + plain(p.longContext.input) + "/" + plain(p.longContext.output);
  }

  private static String plain(BigDecimal usd) {
    return CatalogDiff.plain(usd);
  }
}
