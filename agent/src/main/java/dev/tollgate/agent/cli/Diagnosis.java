package dev.tollgate.agent.cli;

import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.EndpointText;
import dev.tollgate.agent.instrument.net.UnmeteredTrafficFile;
import dev.tollgate.agent.journal.FileProblems;
import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.PrivateFiles;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.pricing.PriceCatalog;
import dev.tollgate.agent.pricing.PricingException;
import dev.tollgate.agent.source.CreditSources;
import dev.tollgate.agent.source.redis.RedisWallet;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The checks {@code doctor} runs, in order, each through the code the agent itself uses: the
 * configuration as {@link TollgateConfig} resolves it in this JVM, the data dir checks of {@link
 * PrivateFiles}, the {@link JournalReader}, the balance as {@code balance} computes it, one read of
 * the remote credit source, and the price catalog.
 */
final class Diagnosis {
  /** A check's outcome: FAIL means Tollgate cannot work as configured. */
  enum Status { OK, WARN, FAIL }

  /** One line of the diagnosis. */
  static final class Check {
    final String name;
    final Status status;
    final String detail;

    Check(String name, Status status, String detail) {
      this.name = name;
      this.status = status;
      this.detail = detail;
    }
  }

  /** A catalog older than this is flagged: providers change prices. */
  static final int STALE_CATALOG_DAYS = 90;

  final List<Check> checks = new ArrayList<>();
  /** The unmetered connections the agents on the data dir saved, for {@code --json}. */
  final List<UnmeteredTrafficReport.Line> unmetered = new ArrayList<>();
  private final Clock clock;
  private @Nullable TollgateConfig config;
  private long spentNanos;

  private Diagnosis(Clock clock) {
    this.clock = clock;
  }

  /** Runs every check; {@code jvm} supplies the configuration as the agent would read it in this JVM. */
  static Diagnosis run(Supplier<ConfigSource> jvm, @Nullable String dataDirOption, Clock clock) {
    Diagnosis d = new Diagnosis(clock);
    ConfigSource source = d.configuration(jvm, dataDirOption);
    Path dataDir = d.dataDir(dataDirOption, source);
    if (dataDir != null && d.dataDirUsable(dataDir)) {
      d.journalAndWallet(dataDir);
      d.unmeteredTraffic(dataDir);
    }
    d.remoteSource();
    d.budgets();
    d.priceCatalog();
    d.java();
    return d;
  }

  /** What {@code tollgate.unmetered-traffic} saw in the JVMs on this data dir: WARN per endpoint, class and action. */
  private void unmeteredTraffic(Path dir) {
    UnmeteredTrafficFile.Contents saved;
    try {
      saved = UnmeteredTrafficFile.read(dir);
    } catch (IOException | RuntimeException e) {
      add("unmetered traffic", Status.WARN, "cannot read what the agents saw: " + FileProblems.describe(e));
      return;
    }
    if (saved.skipped > 0) {
      add("unmetered traffic", Status.WARN, saved.skipped + " unreadable file(s) skipped in " + UnmeteredTrafficFile.dir(dir));
    }
    unmetered.addAll(UnmeteredTrafficReport.lines(saved.connections));
    if (unmetered.isEmpty()) {
      add("unmetered traffic", Status.OK, "no connection to a metered endpoint outside the hooked clients recorded here");
    }
    unmetered.forEach(l -> add("unmetered traffic", Status.WARN, l.detail()));
  }

  /** The configured budgets, one line each, or the budgets file's first problem (file, line, field). */
  private void budgets() {
    if (config == null || config.budgets.isEmpty()) {
      return;
    }
    try {
      List<String> overridden = new ArrayList<>();
      for (dev.tollgate.agent.budget.BudgetSpec spec : dev.tollgate.agent.budget.BudgetsFileWatcher.all(config.budgets.keyed,
          config.budgets.file, config.budgets.alerts, overridden::add)) {
        add("budget", Status.OK, spec + " in " + config.budgets.zone);
      }
      overridden.forEach(line -> add("budget", Status.WARN, line));
    } catch (dev.tollgate.agent.budget.BudgetsFile.Invalid e) {
      add("budget", Status.FAIL, e.getMessage() + "; the agent would not meter");
    }
  }

  void add(String name, Status status, String detail) {
    checks.add(new Check(name, status, detail));
  }

  private @Nullable ConfigSource configuration(Supplier<ConfigSource> jvm, @Nullable String dataDirOption) {
    ConfigSource source = null;
    String failedKey = null;
    try {
      source = jvm.get();
      config = TollgateConfig.load(source);
      String file = source.get("tollgate.config-file");
      add("configuration", Status.OK,
          "valid" + (file == null ? ", no config file" : ", config file " + file + " (" + source.origin("tollgate.config-file") + ")"));
      TollgateConfig.unknownKeys(source).forEach(line -> add("configuration", Status.WARN, line));
    } catch (ConfigException e) {
      failedKey = e.key();
      add("configuration", Status.FAIL, (source == null ? e.getMessage() : e.describe(source)) + "; the agent would not meter");
    }
    if (source != null) {
      new SettingsReport(this, source, config, failedKey).report(dataDirOption);
    }
    return source;
  }

  private @Nullable Path dataDir(@Nullable String option, @Nullable ConfigSource source) {
    String raw = option != null ? option : source == null ? null : source.get("tollgate.data-dir");
    try {
      Path dir = config != null && option == null ? config.dataDir
          : Path.of(raw == null || raw.isEmpty() ? System.getProperty("user.home") + "/.tollgate" : raw).toAbsolutePath();
      try {
        Cli.readableDataDir(dir);
      } catch (IOException e) {
        add("data dir", Status.FAIL, Cli.failure("cannot read", dir, e));
        return null;
      }
      add("data dir", Status.OK, dir.toString());
      return dir;
    } catch (RuntimeException e) {
      add("data dir", Status.FAIL, "not a usable path: " + e.getMessage());
      return null;
    }
  }

  /** Private (the agent refuses a directory others can write to) and writable by this user. */
  private boolean dataDirUsable(Path dir) {
    try {
      PrivateFiles.refuseShared(dir);
      String perms = PrivateFiles.permissions(dir);
      if (perms == null) {
        add("data dir permissions", Status.OK, "no POSIX permissions on this file system");
      } else if (perms.equals("rwx------")) {
        add("data dir permissions", Status.OK, perms + " (private)");
      } else {
        add("data dir permissions", Status.WARN, perms + ": others can read the journal (the agent creates it 0700; chmod 700)");
      }
    } catch (IOException e) {
      add("data dir permissions", Status.FAIL, String.valueOf(e.getMessage()));
      return false;
    }
    boolean writable = Files.isWritable(dir);
    add("data dir writable", writable ? Status.OK : Status.FAIL,
        writable ? "by this user" : "not by this user: the agent could not journal");
    return true;
  }

  private void journalAndWallet(Path dir) {
    Instant[] latest = {null};
    try {
      JournalReader.Result r = JournalReader.read(dir,
          rec -> latest[0] = latest[0] == null || rec.time().isAfter(latest[0]) ? rec.time() : latest[0]);
      Instant last = latest[0];
      String detail = r.files == 0 ? "no journal file" : r.files + " file(s), " + r.records + " record(s), " + r.skipped
          + " torn or unreadable line(s) skipped" + (last == null ? "" : ", last record " + last);
      add("journal", r.skipped > 0 || r.records == 0 ? Status.WARN : Status.OK, detail
          + (r.skipped > r.torn ? " (" + (r.skipped - r.torn) + " in the middle of a file: damaged or edited, or a record cut short "
              + "by a crash before later ones" + (r.torn > 0 ? "; " + r.torn + " torn last line(s) after a crash" : "") + ")"
              : r.skipped > 0 ? " (a torn last line: the JVM was stopped mid-write)"
                  : r.records == 0 ? ": no metered call recorded here yet" : ""));
    } catch (IOException | RuntimeException e) {
      add("journal", Status.FAIL, "cannot read the journal in " + dir + ": " + FileProblems.describe(e));
      return;
    }
    try {
      wallet(LocalBalance.of(dir, clock.instant()));
    } catch (IOException | RuntimeException e) {
      add("wallet", Status.FAIL, "cannot read the wallet in " + dir + ": " + FileProblems.describe(e));
    }
  }

  private void wallet(LocalBalance b) {
    spentNanos = Money.toNanos(b.spent);
    String spent = "spent " + b.spent.toPlainString();
    if (config != null && config.redis != null) {
      add("wallet", Status.OK, "redis (shared): " + spent + " in this data dir's journal; the balance is the shared wallet's");
      return;
    }
    if (config != null && config.source != null) {
      add("wallet", Status.OK, config.wallet + ": " + spent + " in the journal; the balance is the credit source's");
      return;
    }
    if (b.balance == null) {
      add("wallet", Status.OK, "local, meter only (no budget, no grants): " + spent + "; never blocks");
      return;
    }
    String detail = "local: budget " + (b.budget == null ? "none" : b.budget.toPlainString()) + ", " + spent + ", available "
        + b.balance.toPlainString() + (b.hasGrants ? " (grants included)" : "");
    boolean exhausted = b.balance.signum() <= 0;
    add("wallet", exhausted || b.low ? Status.WARN : Status.OK,
        detail + (exhausted ? ": exhausted, metered calls are blocked" : b.low ? ": below the low-balance threshold" : ""));
    if (config != null && !sameBudget(b.budget, config.budget)) {
      add("wallet budget", Status.WARN, "the agent last ran here with budget " + plain(b.budget) + ", this configuration says "
          + plain(config.budget) + " (applies when the application next starts)");
    }
  }

  private static boolean sameBudget(@Nullable BigDecimal a, @Nullable BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  private static String plain(@Nullable BigDecimal d) {
    return d == null ? "none" : d.toPlainString();
  }

  /** One read through the agent's own credit source, with {@code tollgate.source-timeout} and no retry. */
  private void remoteSource() {
    TollgateConfig c = config;
    if (c != null && c.redis != null) {
      try {
        RedisWallet.Totals t = SharedBalance.totals(c);
        add("credit source", Status.OK, c.redis + ": " + Money.format(t.balanceNanos + t.leasedNanos) + " credits ("
            + Money.format(t.balanceNanos) + " unleased, " + Money.format(t.leasedNanos) + " leased by " + t.leases + " JVM(s))");
      } catch (IOException | RuntimeException e) {
        add("credit source", Status.FAIL, e.getMessage() + " (one read, timeout " + c.sourceTimeout.toMillis() + " ms)");
      }
      return;
    }
    if (c == null || c.source == null) {
      return;
    }
    String where = c.source.name + " " + EndpointText.of(c.source.url);
    try {
      BalanceSnapshot s = CreditSources.remote(c, () -> spentNanos, clock, 0).fetch();
      add("credit source", Status.OK, where + ": balance " + Money.fromNanos(s.balanceNanos).toPlainString() + " credits");
    } catch (IOException e) {
      add("credit source", Status.FAIL, e.getMessage() + " (one read, timeout " + c.sourceTimeout.toMillis() + " ms)");
    } catch (RuntimeException e) {
      add("credit source", Status.FAIL, where + ": " + e.getClass().getSimpleName());
    }
  }

  private void priceCatalog() {
    PriceCatalog bundled = PriceCatalog.load(null);
    try {
      long age = ChronoUnit.DAYS.between(LocalDate.parse(bundled.asOf()), LocalDate.ofInstant(clock.instant(), clock.getZone()));
      boolean stale = age > STALE_CATALOG_DAYS;
      add("price catalog", stale ? Status.WARN : Status.OK, "as of " + bundled.asOf() + ", " + age + " day(s) old, " + bundled.size()
          + " models"
          + (stale ? ": older than " + STALE_CATALOG_DAYS + " days, prices may have changed (tollgate.pricing-file overrides them)" : ""));
    } catch (DateTimeParseException e) {
      add("price catalog", Status.WARN, "as of " + bundled.asOf() + ": no date, its age is unknown");
    }
    if (config == null || config.pricingFile == null && config.fallbackPrice == null) {
      return;
    }
    try {
      PriceCatalog merged = PriceCatalog.load(config.pricingFile, config.fallbackPrice);
      add("pricing file", Status.OK,
          (config.pricingFile == null ? "none" : config.pricingFile + " loaded") + ", " + merged.size() + " models in all"
              + (config.fallbackPrice == null ? "" : ", fallback price " + config.fallbackPrice));
    } catch (PricingException e) {
      add("pricing file", Status.FAIL, e.getMessage() + "; the agent would not meter");
    }
  }

  /** Informative: the runtime this command runs on, and whether it could attach the agent to another JVM. */
  private void java() {
    add("java", Status.OK,
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home"));
    if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
      add("attach", Status.WARN,
          "this runtime has no jdk.attach module (a JRE): attach and TollgateAgent.install() need a JDK; -javaagent works");
    } else {
      add("attach", Status.OK, "this JDK can attach the agent to a running JVM of this user (attach <pid>); "
          + "a JDK 21+ target prints a warning unless started with -XX:+EnableDynamicAgentLoading");
    }
  }
}
