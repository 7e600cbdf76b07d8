/**
 * The Reactor Netty support, defined beside each copy of Reactor Netty the application loads (in a
 * child of its class loader, by {@code LibraryHelpers}) and reached from advice through {@link
 * dev.tollgate.agent.bootstrap.ReactorNettyBridge}. It may use Reactor Netty, Reactor, Netty, the
 * JDK and the boot-loader hook bridge ({@code dev.tollgate.agent.bootstrap}) — nothing else of the
 * agent — and only API that Reactor Netty 1.0 already has.
 */
package dev.tollgate.agent.instrument.reactornetty.support;
