/**
 * The Apache HttpClient 4 support, defined beside each copy of the library the application loads (in
 * a child of its class loader, by {@code LibrarySupport}) and reached from advice through {@link
 * dev.tollgate.agent.bootstrap.Apache4Bridge}. It may use the library, the JDK and the boot-loader
 * hook bridge ({@code dev.tollgate.agent.bootstrap}), nothing else of the agent.
 */
package dev.tollgate.agent.instrument.apache4.support;
