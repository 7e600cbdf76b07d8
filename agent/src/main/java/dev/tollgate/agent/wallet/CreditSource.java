package dev.tollgate.agent.wallet;

import java.io.IOException;

/** Where the credits really live: the local budget, or (later) a remote credit API. */
public interface CreditSource {

  /** The balance now. Called off the hot path by the balance cache. */
  BalanceSnapshot fetch() throws IOException;

  /** A short name for logs and reports. */
  String name();
}
