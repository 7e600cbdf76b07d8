/**
 * Helpers that run inside the application's class loader, beside the Spring classes they extend.
 * The agent defines every class of this package in the loader of each instrumented Spring class
 * before that class's advice can run ({@code HelperInjector}), so they may use Spring and Reactor
 * types, the JDK, and the boot-loader hook bridge ({@code dev.tollgate.agent.bootstrap}) — nothing
 * else of the agent. No class here may extend another: each is defined on its own.
 */
package dev.tollgate.agent.instrument.spring.inject;
