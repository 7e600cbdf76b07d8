package dev.tollgate.it.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/**
 * An application that bundles old versions of the libraries the agent also uses (Jackson 2.9,
 * Byte Buddy 1.10, Caffeine 2.9, OkHttp 3.14): each must be the app's own, and work, with the
 * agent attached. Then it makes a metered OkHttp call.
 */
public final class ConflictsApp {
  public static void main(String[] argv) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    System.out.println("JACKSON " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + " " + jar(ObjectMapper.class)
        + " " + mapper.readTree("{\"a\":41}").get("a").asInt());
    Class<?> generated = new ByteBuddy(ClassFileVersion.JAVA_V8).subclass(Object.class).name("it.Generated").make()
        .load(ConflictsApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
    System.out.println("BYTEBUDDY " + jar(ByteBuddy.class) + " " + generated.getName());
    Cache<String, String> cache = Caffeine.newBuilder().maximumSize(10).build();
    cache.put("k", "v");
    System.out.println("CAFFEINE " + jar(Caffeine.class) + " " + cache.getIfPresent("k"));
    OkHttpApp.main(argv);
  }

  private static String jar(Class<?> type) {
    String location = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
