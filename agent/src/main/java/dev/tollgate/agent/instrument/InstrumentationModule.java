package dev.tollgate.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One instrumentation, described once, in its own package ({@code instrument.<client>}): its name,
 * which is its {@code tollgate.instrumentation.<name>.enabled} switch; the types it rewrites and the
 * advice for each; the packages a connection is metered from (for {@code tollgate.unmetered-traffic});
 * and, for a client whose advice needs library-typed code, the {@link LibrarySupport} placed beside
 * the library. {@link Instrumentations#ALL} lists them all; nothing else names a client.
 */
public final class InstrumentationModule {
  final String name;
  final boolean client;
  final List<TypeAdvice> rewrites;
  final List<String> connectingPackages;
  final List<String> libraryPackages;
  final /* @Nullable */ LibrarySupport<?> support;

  private InstrumentationModule(String name, boolean client, List<TypeAdvice> rewrites, List<String> connectingPackages,
      List<String> libraryPackages, /* @Nullable */ LibrarySupport<?> support) {
    this.name = name;
    this.client = client;
    this.rewrites = rewrites;
    this.connectingPackages = connectingPackages;
    this.libraryPackages = libraryPackages;
    this.support = support;
  }

  /** An HTTP client's instrumentation, switched by {@code tollgate.instrumentation.<name>.enabled}. */
  public static InstrumentationModule client(String name, TypeAdvice... rewrites) {
    return new InstrumentationModule(name, true, List.of(rewrites), List.of(), List.of(), null);
  }

  /** An instrumentation that is no client and has no switch of its own (the socket-connect check). */
  public static InstrumentationModule check(String name, TypeAdvice... rewrites) {
    return new InstrumentationModule(name, false, List.of(rewrites), List.of(), List.of(), null);
  }

  /**
   * The package prefixes ({@code okhttp3.}) of the client's classes on the stack of the thread that
   * opens its connections: a connection opened from there is one this instrumentation meters.
   */
  public InstrumentationModule connectingFrom(String... packages) {
    return new InstrumentationModule(name, client, rewrites, List.of(packages), libraryPackages, support);
  }

  /**
   * The packages ({@code okhttp3.}) of the library its advice and support may use, besides the JDK
   * and {@code dev.tollgate.agent.bootstrap}; {@code SupportIsolationTest} holds them to it.
   */
  public InstrumentationModule usingLibrary(String... packages) {
    return new InstrumentationModule(name, client, rewrites, connectingPackages, List.of(packages), support);
  }

  /** The code its advice reaches beside each copy of the library; installed when the instrumentation is. */
  public InstrumentationModule withSupport(LibrarySupport<?> librarySupport) {
    return new InstrumentationModule(name, client, rewrites, connectingPackages, libraryPackages, librarySupport);
  }

  /** Every type name it rewrites. */
  List<String> types() {
    List<String> types = new ArrayList<>();
    for (TypeAdvice r : rewrites) {
      types.addAll(r.types);
    }
    return types;
  }

  /** The packages of its advice classes. */
  Set<String> advicePackages() {
    Set<String> packages = new TreeSet<>();
    for (TypeAdvice r : rewrites) {
      packages.add(r.packageName());
    }
    return packages;
  }

  /** Its name, the switch's. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
