package dev.tollgate.agent.pricing;

/** A price catalog or {@code tollgate.pricing-file} that cannot be used; the message says where and why. */
public final class PricingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PricingException(String message) {
    super(message);
  }
}
