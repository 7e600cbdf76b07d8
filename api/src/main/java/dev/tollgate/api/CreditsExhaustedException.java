package dev.tollgate.api;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Thrown in place of a metered call's response when the wallet cannot cover the call's worst-case
 * cost and {@code tollgate.block-mode=exception}. Nothing of the request has left the machine.
 *
 * <p>It extends {@link IOException} so that it travels through every HTTP client's normal failure
 * path ({@code Call.execute()}, {@code Callback.onFailure}, {@code HttpClient.send}).
 */
public final class CreditsExhaustedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final BigDecimal required;
  private final BigDecimal available;
  private final transient @Nullable BudgetStatus budget;

  /**
   * @param message what was blocked and why, never containing credentials
   * @param required the credits the call needed (its worst-case cost)
   * @param available the credits available when the call was checked
   */
  public CreditsExhaustedException(String message, BigDecimal required, BigDecimal available) {
    this(message, required, available, null);
  }

  /**
   * @param message what was blocked and why, never containing credentials
   * @param required the credits the call needed (its worst-case cost)
   * @param available the credits available when the call was checked
   * @param budget the budget that refused the call, or null when the wallet did
   */
  public CreditsExhaustedException(String message, BigDecimal required, BigDecimal available, @Nullable BudgetStatus budget) {
    super(message);
    this.required = Objects.requireNonNull(required, "required");
    this.available = Objects.requireNonNull(available, "available");
    this.budget = budget;
  }

  /**
   * The budget that refused the call (scope, period, limit, what was left, when it resets), or null
   * when the wallet's own balance did.
   */
  public @Nullable BudgetStatus budget() {
    return budget;
  }

  /** The credits the blocked call needed: its worst-case cost. */
  public BigDecimal required() {
    return required;
  }

  /** The credits that were available when the call was checked; may be negative. */
  public BigDecimal available() {
    return available;
  }
}
