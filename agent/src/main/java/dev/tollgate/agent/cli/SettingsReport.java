package dev.tollgate.agent.cli;

import dev.tollgate.agent.cli.Diagnosis.Status;
import dev.tollgate.agent.config.AlertSettings;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.config.TollgateConfig.EndpointSetting;
import dev.tollgate.agent.endpoint.EndpointText;
import dev.tollgate.agent.pricing.Money;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code doctor}'s lines for the main configuration keys: the effective value and where it came from
 * (system property, environment, config file, default). With an invalid configuration, the values as
 * given, the invalid key's line marked FAIL. A credit source's key is only ever "set" or "not set",
 * and URLs are shown without query or user info.
 */
final class SettingsReport {
  private final Diagnosis diagnosis;
  private final ConfigSource source;
  private final @Nullable TollgateConfig config;
  private final @Nullable String failedKey;

  SettingsReport(Diagnosis diagnosis, ConfigSource source, @Nullable TollgateConfig config, @Nullable String failedKey) {
    this.diagnosis = diagnosis;
    this.source = source;
    this.config = config;
    this.failedKey = failedKey;
  }

  void report(@Nullable String dataDirOption) {
    TollgateConfig c = config;
    setting("tollgate.enabled", c == null ? null : Boolean.toString(c.enabled));
    setting("tollgate.wallet", c == null ? null : c.wallet);
    setting("tollgate.budget", c == null ? null : c.budget != null ? c.budget.toPlainString() : walletBudget(c));
    setting("tollgate.enforce", c == null ? null : lower(c.enforce));
    setting("tollgate.block-mode", c == null ? null : lower(c.blockMode));
    if (dataDirOption != null) {
      diagnosis.add("tollgate.data-dir", Status.OK, dataDirOption + " (--data-dir option)");
    } else {
      setting("tollgate.data-dir", c == null ? null : c.dataDir.toString());
    }
    setting("tollgate.credits-per-usd", c == null ? null : c.creditsPerUsd.toPlainString());
    setting("tollgate.pricing-file", c == null ? null : c.pricingFile == null ? "unset" : c.pricingFile.toString());
    endpoints();
    creditSource();
    alertWebhook();
  }

  /**
   * {@code tollgate.budget} when it is no lifetime wallet budget: with a period ({@code 5/day}) it is a
   * budget of the whole wallet per period, and the wallet itself has no lifetime limit; else it is unset.
   */
  private static String walletBudget(TollgateConfig c) {
    for (dev.tollgate.agent.budget.BudgetSpec spec : c.budgets.keyed) {
      if (spec.origin.equals("tollgate.budget")) {
        return Money.plain(spec.limit) + "/" + spec.period.label() + ": a budget of the whole wallet per " + spec.period.label()
            + "; the wallet has no lifetime limit";
      }
    }
    return "unset: no limit unless grants";
  }

  /** The webhook masked (its path is a secret): scheme, host and port only. */
  private void alertWebhook() {
    String raw = source.get("tollgate.alert.webhook");
    if (raw != null && !raw.trim().isEmpty()) {
      String key = "tollgate.alert.webhook";
      diagnosis.add(key, failed(key) ? Status.FAIL : Status.OK, AlertSettings.mask(raw.trim()) + " (" + source.origin(key) + ")");
    }
  }

  private void setting(String key, @Nullable String effective) {
    String raw = source.get(key);
    String value = effective != null ? effective : raw;
    if (value == null || (effective == null && value.isEmpty())) {
      diagnosis.add(key, Status.OK, "default"); // the configuration is invalid: no parsed default to show
      return;
    }
    Status status = failed(key) ? Status.FAIL : key.equals("tollgate.enabled") && value.equals("false") ? Status.WARN : Status.OK;
    diagnosis.add(key, status, value + (status == Status.WARN ? ": Tollgate does not meter" : "") + " (" + source.origin(key) + ")");
  }

  private void endpoints() {
    if (config != null) {
      for (EndpointSetting e : config.endpoints.values()) {
        endpoint(e.name, e.format + " " + EndpointText.of(e.url));
      }
      if (config.endpoints.isEmpty()) {
        diagnosis.add("tollgate.endpoint.*", Status.OK, "none (the built-in providers only)");
      }
      return;
    }
    for (Map.Entry<String, String> e : source.withPrefix("tollgate.endpoint.").entrySet()) {
      if (e.getKey().endsWith(".url")) {
        String name = e.getKey().substring("tollgate.endpoint.".length(), e.getKey().length() - ".url".length());
        endpoint(name, EndpointText.of(e.getValue()));
      }
    }
  }

  private void endpoint(String name, String value) {
    String key = "tollgate.endpoint." + name;
    diagnosis.add(key, failed(key) ? Status.FAIL : Status.OK, value + " (" + source.origin(key + ".url") + ")");
  }

  /** The selected remote source's URL and whether its key is set; never the key. */
  private void creditSource() {
    String wallet = config != null ? config.wallet : source.get("tollgate.wallet");
    if (wallet == null || !wallet.matches("openrouter|swarms|synap|http")) {
      return;
    }
    String prefix = "tollgate." + wallet + ".";
    String url = config != null && config.source != null ? config.source.url : source.get(prefix + "url");
    diagnosis.add(prefix + "url", failed(prefix + "url") ? Status.FAIL : Status.OK,
        (url == null || url.isEmpty() ? "default" : EndpointText.of(url)) + " (" + source.origin(prefix + "url") + ")");
    String key = source.get(prefix + "key");
    boolean set = key != null && !key.isEmpty();
    diagnosis.add(prefix + "key", failed(prefix + "key") ? Status.FAIL : Status.OK,
        set ? "set (" + source.origin(prefix + "key") + ")" : "not set");
  }

  private boolean failed(String key) {
    return failedKey != null && (failedKey.equals(key) || failedKey.startsWith(key + "."));
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
