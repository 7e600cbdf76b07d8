package dev.tollgate.agent.wallet;

import java.io.IOException;

/** Where the credits really live: the local budget, or a remote credit API ({@code dev.tollgate.agent.source}). */
public interface CreditSource {

  /**
   * The balance now. Called off the hot path by the balance cache, one call at a time.
   *
   * @throws IOException when the source cannot be read; its message names the source and the
   *     reason and never carries a credential
   */
  BalanceSnapshot fetch() throws IOException;

  /** A short name for logs and reports. */
  String name();
}
