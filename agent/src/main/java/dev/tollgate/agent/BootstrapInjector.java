package dev.tollgate.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts the classes every class loader must share on the bootstrap class path: the public API
 * ({@code dev.tollgate.api}, so the application's {@code Tollgate} and the agent's are one class)
 * and the hook bridge ({@code dev.tollgate.agent.bootstrap}, which advice inlined into any loader
 * calls). They use JDK types only. Must run before any of them is loaded.
 */
final class BootstrapInjector {
  static final String[] PACKAGES = {"dev/tollgate/api/", "dev/tollgate/agent/bootstrap/"};

  private BootstrapInjector() {}

  /** @return false when an earlier attach already injected them */
  static boolean inject(Instrumentation inst) throws IOException, URISyntaxException {
    if (alreadyInjected()) {
      return false;
    }
    Map<String, byte[]> classes = ClassDefiner.fromAgentJar(PACKAGES);
    try {
      // Defining the classes in the boot loader directly keeps the JVM's class-data sharing on for
      // application classes; appending a jar to the boot class path turns it off with a warning.
      defineInBootLoader(inst, classes);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      appendJar(inst, classes);
    }
    return true;
  }

  /**
   * Defines each class with the boot loader as its loader. A bridge extends {@code SupportBridge} and
   * its null object extends the bridge, so a class whose superclass is not defined yet waits for the
   * next pass.
   */
  private static void defineInBootLoader(Instrumentation inst, Map<String, byte[]> classes) throws ReflectiveOperationException {
    ClassDefiner.open(inst);
    Map<String, byte[]> pending = classes;
    while (!pending.isEmpty()) {
      Map<String, byte[]> later = new LinkedHashMap<>();
      NoClassDefFoundError missing = null;
      for (Map.Entry<String, byte[]> c : pending.entrySet()) {
        try {
          ClassDefiner.define(null, c.getKey(), c.getValue());
        } catch (NoClassDefFoundError e) {
          later.put(c.getKey(), c.getValue());
          missing = e;
        }
      }
      if (later.size() == pending.size()) {
        throw missing;
      }
      pending = later;
    }
  }

  private static void appendJar(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
    Path bootJar = Files.createTempFile("tollgate-bootstrap-", ".jar");
    bootJar.toFile().deleteOnExit();
    try (OutputStream file = Files.newOutputStream(bootJar); JarOutputStream out = new JarOutputStream(file)) {
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
        out.write(c.getValue());
        out.closeEntry();
      }
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(bootJar.toFile()));
  }

  private static boolean alreadyInjected() {
    try {
      Class.forName("dev.tollgate.agent.bootstrap.Hooks", false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
