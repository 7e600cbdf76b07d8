/**
 * The Micrometer support, defined beside each copy of Micrometer the application loads (in a child
 * of its class loader, by {@code LibrarySupport}) and reached through {@link
 * dev.tollgate.agent.bootstrap.MicrometerBridge}. It may use Micrometer types, the JDK, and the
 * boot-loader bridge ({@code dev.tollgate.agent.bootstrap}) — nothing else of the agent.
 */
package dev.tollgate.agent.metrics.micrometer.support;
