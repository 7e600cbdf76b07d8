package dev.tollgate.sample;

/**
 * The demo's prompts: a long shared system prompt (a support handbook, so prompt caching has
 * something to hold) and a short ticket that differs on every call.
 */
final class Prompts {
  static final String HANDBOOK = handbook();

  private static final String[] ISSUES = {
      "the invoice export fails for March",
      "a customer was charged twice after a card retry",
      "the mobile app logs users out every few minutes, mostly on Android 14 with battery saver on",
      "a webhook to the CRM times out",
      "two-factor codes arrive late by SMS in Brazil and Portugal, but email codes are fine",
      "the CSV import drops rows with accented names",
  };

  private Prompts() {}

  /** The ticket for call {@code n}: its length varies, so token counts differ call by call. */
  static String ticket(int n) {
    return "Summarize ticket #" + (1000 + n) + " in one sentence: " + ISSUES[n % ISSUES.length] + ".";
  }

  private static String handbook() {
    StringBuilder b = new StringBuilder("You are a support assistant. Follow this handbook.\n");
    for (int i = 1; i <= 60; i++) {
      b.append("Rule ").append(i).append(": refunds above ").append(i * 25)
          .append(" EUR need a second approver; answer in the customer's language.\n");
    }
    return b.toString();
  }
}
