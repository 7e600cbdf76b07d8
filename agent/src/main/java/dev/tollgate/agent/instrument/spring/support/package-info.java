/**
 * The Spring support, defined beside each copy of Spring the application loads (in a child of its
 * class loader, by {@code LibrarySupport}) and reached from advice through {@link
 * dev.tollgate.agent.bootstrap.SpringBridge}. It may use Spring and Reactor types, the JDK, and the
 * boot-loader hook bridge ({@code dev.tollgate.agent.bootstrap}) — nothing else of the agent.
 */
package dev.tollgate.agent.instrument.spring.support;
