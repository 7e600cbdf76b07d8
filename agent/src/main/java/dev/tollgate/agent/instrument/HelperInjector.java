package dev.tollgate.agent.instrument;

import dev.tollgate.agent.log.Log;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Applies an advice only after defining its helper classes in the instrumented class's own loader,
 * where they can see the library they extend (a Spring Boot jar's loader, say, which the agent's
 * loader cannot see). Helpers are defined once per loader; where that fails the class is left as
 * it was and its calls go on unmetered.
 */
final class HelperInjector {
  private final String helperPackage;
  private final Map<ClassLoader, Boolean> injected = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile Map<String, byte[]> helpers;

  /** @param helperPackage the helpers' package as a path, {@code dev/tollgate/.../} */
  HelperInjector(String helperPackage) {
    this.helperPackage = helperPackage;
  }

  /** {@code advice}, applied only where the helpers could be defined first. */
  AgentBuilder.Transformer before(AgentBuilder.Transformer advice) {
    return (DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader, JavaModule module, ProtectionDomain domain) ->
        inject(loader) ? advice.transform(builder, type, loader, module, domain) : builder;
  }

  private boolean inject(ClassLoader loader) {
    if (loader == null) {
      return false; // helpers extend application libraries, which never live in the boot loader
    }
    synchronized (injected) {
      Boolean done = injected.get(loader);
      if (done == null) {
        done = define(loader);
        injected.put(loader, done);
      }
      return done;
    }
  }

  private boolean define(ClassLoader loader) {
    try {
      if (!ClassDefiner.isOpen()) {
        return false;
      }
      if (helpers == null) {
        helpers = ClassDefiner.fromAgentJar(helperPackage);
      }
      for (Map.Entry<String, byte[]> helper : helpers.entrySet()) {
        try {
          ClassDefiner.define(loader, helper.getKey(), helper.getValue());
        } catch (LinkageError e) {
          if (e.getMessage() == null || !e.getMessage().contains("duplicate")) {
            throw e;
          }
          // an earlier attach defined it in this loader: the same bytes, so use that one
        }
      }
      return true;
    } catch (Exception | LinkageError e) {
      Log.once("helpers-" + helperPackage, Log.Level.WARN,
          "could not place Tollgate's helpers beside " + helperPackage.replace('/', '.') + " users; those calls go on unmetered", e);
      return false;
    }
  }
}
