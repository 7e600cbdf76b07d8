/**
 * Jetty 12 {@code HttpClient} support, defined next to the application's copy of Jetty by {@code
 * LibraryHelpers}, one copy per class loader. Classes here may use only the JDK, Jetty's client,
 * {@code dev.tollgate.agent.bootstrap} and each other: nothing else of the agent is visible from
 * where they are defined.
 */
package dev.tollgate.agent.instrument.jetty.support;
