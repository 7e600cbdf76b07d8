/**
 * grpc-java support, defined next to the application's copy of grpc-java by {@code LibrarySupport},
 * one copy per class loader. Classes here may use only the JDK, grpc's API ({@code io.grpc}), {@code
 * dev.tollgate.agent.bootstrap} and each other: nothing else of the agent is visible from where they
 * are defined. Responses are read from the wire bytes grpc parses, through grpc's own protobuf
 * marshaller ({@code ResponseTee}); protocol-buffers messages are reached by reflection (their public
 * {@code getModel}, {@code getSerializedSize}, and {@code writeTo} for a response grpc hands over as
 * no wire bytes), so no protobuf runtime is named and a relocated copy works too.
 */
package dev.tollgate.agent.instrument.grpc.support;
