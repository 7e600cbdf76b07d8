/**
 * Apache HttpClient 5 async support, defined next to the application's copy of the library by
 * {@code LibrarySupport}, one copy per class loader. Classes here may use only the JDK, the
 * Apache client, {@code dev.tollgate.agent.bootstrap} and each other: nothing else of the agent is
 * visible from where they are defined.
 */
package dev.tollgate.agent.instrument.apache.async;
