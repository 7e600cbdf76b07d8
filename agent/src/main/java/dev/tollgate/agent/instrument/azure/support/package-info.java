/**
 * The azure-core support, defined beside each copy of azure-core the application loads (in a child
 * of its class loader, by {@code LibraryHelpers}) and reached from advice through {@link
 * dev.tollgate.agent.bootstrap.AzureBridge}. It may use azure-core, Reactor, the JDK and the
 * boot-loader hook bridge ({@code dev.tollgate.agent.bootstrap}) — nothing else of the agent.
 */
package dev.tollgate.agent.instrument.azure.support;
