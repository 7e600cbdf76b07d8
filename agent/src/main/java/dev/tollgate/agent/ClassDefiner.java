package dev.tollgate.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * Defines classes in the boot loader: the classes every loader must share. It uses the JDK's
 * internal {@code Unsafe.defineClass}, opened to the agent with {@link Instrumentation#redefineModule}
 * (the agent's supported way in), so nothing is appended to a class path and the JVM prints nothing.
 */
final class ClassDefiner {
  private static volatile @Nullable Method define;
  private static volatile @Nullable Object unsafe;

  private ClassDefiner() {}

  /** Opens {@code jdk.internal.misc} to the agent; idempotent. */
  static synchronized void open(Instrumentation inst) throws ReflectiveOperationException {
    if (define != null) {
      return;
    }
    Module base = Object.class.getModule();
    inst.redefineModule(base, Set.of(), Map.of(), Map.of("jdk.internal.misc", Set.of(ClassDefiner.class.getModule())), Set.of(), Map.of());
    Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
    unsafe = type.getMethod("getUnsafe").invoke(null);
    define = type.getMethod("defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class);
  }

  /**
   * Defines {@code name} in {@code loader} ({@code null}: the boot loader). Classes must be defined
   * supertypes first; a class the loader already defined is a {@link LinkageError}.
   */
  static Class<?> define(@Nullable ClassLoader loader, String name, byte[] bytes) throws ReflectiveOperationException {
    Method m = define;
    if (m == null) {
      throw new IllegalStateException("ClassDefiner.open was not called");
    }
    try {
      return (Class<?>) m.invoke(unsafe, name, bytes, 0, bytes.length, loader, null);

    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof LinkageError) {
        throw (LinkageError) e.getCause();
      }
      throw e;
    }
  }

  /** The classes of the agent jar under {@code packages} (as {@code dev/tollgate/x/}, subpackages included), by binary name. */
  static Map<String, byte[]> fromAgentJar(String... packages) throws IOException, URISyntaxException {
    Path agentJar = Path.of(ClassDefiner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (JarFile in = new JarFile(agentJar.toFile())) {
      for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class") && under(name, packages)) {
          try (InputStream bytes = in.getInputStream(in.getEntry(name))) {
            classes.put(name.substring(0, name.length() - 6).replace('/', '.'), bytes.readAllBytes());
          }
        }
      }
    }
    return classes;
  }

  private static boolean under(String name, String[] packages) {
    for (String p : packages) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
