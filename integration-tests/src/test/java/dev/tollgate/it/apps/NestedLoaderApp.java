package dev.tollgate.it.apps;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs another app main in a child class loader that holds its libraries, as a Spring Boot fat
 * jar or an application server does: the JVM's class path has only this launcher (and the agent),
 * so nothing the agent loads can see the app's libraries.
 *
 * <pre>NestedLoaderApp CLASSPATH MAIN_CLASS [ARGS...]</pre>
 */
public final class NestedLoaderApp {
  public static void main(String[] argv) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : argv[0].split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    ClassLoader child = new ChildFirstLoader(urls.toArray(new URL[0]), NestedLoaderApp.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(child);
    Class<?> main = Class.forName(argv[1], true, child);
    main.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(argv, 2, argv.length));
  }

  /** Finds classes in its own jars before asking its parent; the JDK and the Tollgate API come from the parent. */
  static final class ChildFirstLoader extends URLClassLoader {
    ChildFirstLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null && !name.startsWith("java.") && !name.startsWith("dev.tollgate.api.")) {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException notHere) {
            // the parent's
          }
        }
        if (c == null) {
          c = super.loadClass(name, false);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
