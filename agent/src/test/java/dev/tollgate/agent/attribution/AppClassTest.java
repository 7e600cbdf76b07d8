package dev.tollgate.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class AppClassTest {
  /** Stands in for the application's MDC: loaded by a loader of its own, as a fat jar's libraries are. */
  public static final class Context {}

  private static final URL TEST_CLASSES = AppClassTest.class.getProtectionDomain().getCodeSource().getLocation();

  @Test
  void aLoaderThatCannotSeeTheClass_getsItAsTheLastLoaderThatCouldFoundIt() throws Exception {
    ClassLoader application = new URLClassLoader(new URL[] {TEST_CLASSES}, ClassLoader.getPlatformClassLoader());
    ClassLoader commonPool = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader()); // sees none of it
    AppClass context = new AppClass(Context.class.getName());

    assertThat(context.in(commonPool)).as("no loader has found it yet").isNull();
    Class<?> found = context.in(application);
    assertThat(found).isNotNull().isNotSameAs(Context.class);
    assertThat(found.getClassLoader()).isSameAs(application);

    assertThat(context.in(commonPool)).isSameAs(found);
    assertThat(context.in(application)).isSameAs(found);
  }

  @Test
  void aClassNoLoaderHas_isNull() {
    AppClass missing = new AppClass("org.example.NoSuchContext");

    assertThat(missing.in(ClassLoader.getSystemClassLoader())).isNull();
    assertThat(missing.in(ClassLoader.getPlatformClassLoader())).isNull();
  }
}
