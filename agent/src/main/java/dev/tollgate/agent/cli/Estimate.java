package dev.tollgate.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.JsonErrors;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.journal.FileProblems;
import dev.tollgate.agent.pricing.PriceCatalog;
import dev.tollgate.agent.pricing.PricingException;
import dev.tollgate.agent.pricing.Quoter;
import dev.tollgate.agent.usage.TokenCounter;
import dev.tollgate.api.CreditEstimate;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code tollgate estimate --model M (--input TEXT | --request FILE) [--max-output N] [--json]}: the
 * dry-run quote {@code Tollgate.estimate} gives, from the bundled catalog plus the configured
 * {@code tollgate.pricing-file}, {@code tollgate.fallback-price} and {@code tollgate.credits-per-usd}.
 * Sends nothing, reserves nothing, needs no data dir.
 */
final class Estimate {
  static final String USAGE = "usage: java -jar tollgate-agent.jar estimate (--model MODEL --input TEXT | --request FILE.json [--model MODEL])"
      + " [--max-output N] [--json]";

  // Set by parse(), which rejects a combination that leaves a needed one unset.
  @SuppressWarnings("NullAway.Init")
  private String model;
  @SuppressWarnings("NullAway.Init")
  private String input;
  @SuppressWarnings("NullAway.Init")
  private Path request;
  /** The {@code --request} file's bytes, read once. */
  private byte[] body = new byte[0];
  private long maxOutput;
  private boolean json;

  private Estimate() {}

  /** Runs the command; returns the exit code (0 ok, 1 unreadable request file, 2 usage or configuration error or a request file that is not JSON). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Estimate e = new Estimate();
    try {
      e.parse(args);
      TollgateConfig config = TollgateConfig.load(ConfigSource.fromJvm(null));
      PriceCatalog catalog = PriceCatalog.load(config.pricingFile, config.fallbackPrice);
      CreditEstimate estimate = e.quote(new Quoter(catalog, config.creditsPerUsd));
      e.print(estimate, catalog.asOf(), config, out);
      return 0;
    } catch (IllegalArgumentException ex) {
      err.println(ex.getMessage() + "\n" + USAGE);
      return 2;
    } catch (ConfigException | PricingException | BadRequestFile ex) {
      err.println("tollgate: " + ex.getMessage());
      return 2;
    } catch (IOException ex) {
      err.println("tollgate: cannot read " + e.request + ": " + FileProblems.describe(ex, e.request));
      return 1;
    }
  }

  private void parse(String[] args) {
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--model":
          model = value(args, ++i);
          break;
        case "--input":
          input = value(args, ++i);
          break;
        case "--request":
          request = Path.of(value(args, ++i));
          break;
        case "--max-output":
          maxOutput = positive(value(args, ++i));
          break;
        case "--json":
          json = true;
          break;
        default:
          throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    if (input != null && request != null) {
      throw new IllegalArgumentException("--input and --request exclude each other: give the text or the request file, not both");
    }
    if (input == null && request == null) {
      throw new IllegalArgumentException("estimate needs one of --input TEXT or --request FILE");
    }
    if (model == null && input != null) {
      throw new IllegalArgumentException("estimate --input needs --model");
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static long positive(String v) {
    try {
      long n = Long.parseLong(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--max-output must be a positive number of tokens; was " + v);
  }

  /** A {@code --request} file that is not JSON: quoting it would price a body no provider would accept. */
  static final class BadRequestFile extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequestFile(String message) {
      super(message);
    }
  }

  private CreditEstimate quote(Quoter quoter) throws IOException, BadRequestFile {
    if (request != null) {
      body = Files.readAllBytes(request);
      try {
        Cli.JSON.readTree(body);
      } catch (JsonProcessingException ex) {
        throw new BadRequestFile("--request " + request + " is not valid JSON: " + JsonErrors.describe(ex));
      }
    }
    CreditEstimate first = quoteNow(quoter);
    // A one-shot command waits for the model's tokenizer (a metered call never does): load it and quote again.
    return TokenCounter.load(first.model()) ? quoteNow(quoter) : first;
  }

  private CreditEstimate quoteNow(Quoter quoter) throws IOException {
    return input != null
        ? quoter.estimateText(model, input, maxOutput)
        : quoter.estimateRequest(model, body, maxOutput);
  }

  private void print(CreditEstimate e, String asOf, TollgateConfig config, PrintStream out) throws JsonProcessingException {
    if (json) {
      ObjectNode n = Cli.JSON.createObjectNode();
      n.put("model", e.model()).put("priced_as", e.pricedAs()).put("provider", e.provider()).put("priced", e.priced());
      n.put("input_tokens", e.inputTokens()).put("tokenizer", e.tokenizer()).put("max_output_tokens", e.maxOutputTokens());
      n.put("cost", e.cost());
      n.put("long_context", e.longContext()).put("catalog_as_of", asOf);
      out.println(Cli.JSON.writeValueAsString(n));
      return;
    }
    Table table = new Table("MODEL", "PRICED AS", "INPUT TOKENS", "TOKENIZER", "MAX OUTPUT", "WORST-CASE COST");
    table.row(e.model(), e.pricedAs() + (e.priced() ? "" : " (unpriced: fallback)"), n(e.inputTokens()), e.tokenizer(),
        n(e.maxOutputTokens()), e.cost().toPlainString());
    table.print(out);
    out.println("catalog prices as of " + asOf + (e.longContext() ? ", long-context rates" : "") + "; credits at tollgate.credits-per-usd="
        + config.creditsPerUsd.toPlainString() + "; nothing was sent or reserved");
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
