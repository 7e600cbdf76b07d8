/**
 * The JDK HttpClient support, defined beside the JDK's {@code java.net.http} (in a child of the
 * platform class loader, by {@code LibrarySupport}) and reached from advice through {@link
 * dev.tollgate.agent.bootstrap.JdkHttpBridge}. It may use the JDK and the boot-loader hook bridge
 * ({@code dev.tollgate.agent.bootstrap}), nothing else of the agent.
 */
package dev.tollgate.agent.instrument.jdkhttp.support;
