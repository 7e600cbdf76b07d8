/**
 * The AWS SDK v2 support, defined beside each copy of the SDK the application loads (see
 * {@code LibraryHelpers}): it implements the SDK's HTTP client SPI, so it may use only the SDK's
 * {@code http-client-spi} (with reactive-streams), the JDK and the hook bridge.
 */
package dev.tollgate.agent.instrument.aws.support;
