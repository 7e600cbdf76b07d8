package dev.tollgate.agent.endpoint;

import java.util.Locale;

/** A provider wire format: which paths are model operations and how usage is shaped. */
public enum Format {
  OPENAI,
  ANTHROPIC,
  GEMINI,
  /** Cohere's own v2 API: {@code /v2/chat}, {@code /v2/embed}, usage in {@code billed_units}. */
  COHERE,
  /**
   * AWS Bedrock Runtime: {@code /model/{id}/converse}, {@code …/converse-stream}, {@code …/invoke} and
   * {@code …/invoke-with-response-stream}, the model only in the path; streams in AWS event-stream framing.
   */
  BEDROCK;

  /** The lower-case name used in configuration. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Format fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
