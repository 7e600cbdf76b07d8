package dev.tollgate.api;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A metered call that Tollgate stopped before any byte of it left the machine. */
public final class BlockedCall {
  private final String provider;
  private final String model;
  private final String endpoint;
  private final BigDecimal required;
  private final BigDecimal available;
  private final @Nullable BudgetStatus budget;

  /**
   * @param provider the provider the call was for, for example {@code "openai"}
   * @param model the model the request named, or {@code "unknown"}
   * @param endpoint scheme, host and path of the call; never the query string
   * @param required the call's worst-case cost in credits
   * @param available the credits available when it was checked
   */
  public BlockedCall(
      String provider, String model, String endpoint, BigDecimal required, BigDecimal available) {
    this(provider, model, endpoint, required, available, null);
  }

  /**
   * A call blocked by a budget ({@code tollgate.budget.<dimension>.<value>} or the budgets file).
   *
   * @param budget the budget that refused the call, or null when the wallet itself did
   */
  public BlockedCall(String provider, String model, String endpoint, BigDecimal required, BigDecimal available,
      @Nullable BudgetStatus budget) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.model = Objects.requireNonNull(model, "model");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.required = Objects.requireNonNull(required, "required");
    this.available = Objects.requireNonNull(available, "available");
    this.budget = budget;
  }

  /** The budget that refused the call (its {@code available} is that budget's remainder); null when the wallet did. */
  public @Nullable BudgetStatus budget() {
    return budget;
  }

  /** The provider the call was for. */
  public String provider() {
    return provider;
  }

  /** The model the request named. */
  public String model() {
    return model;
  }

  /** Scheme, host and path of the call. */
  public String endpoint() {
    return endpoint;
  }

  /** The call's worst-case cost in credits. */
  public BigDecimal required() {
    return required;
  }

  /** The credits available when the call was checked. */
  public BigDecimal available() {
    return available;
  }

  @Override
  public String toString() {
    return "BlockedCall{" + provider + ' ' + model + ' ' + endpoint + ", required=" + required.toPlainString()
        + ", available=" + available.toPlainString() + (budget == null ? "" : ", budget=" + budget) + '}';
  }
}
