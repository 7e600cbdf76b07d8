package dev.tollgate.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

class AppClassTest {
  /** A name only the loaders made here can see, as a fat jar's libraries are seen only by its own loader. */
  private static final String CONTEXT = "org.example.tollgate.AppOnlyContext";

  /** A loader of the application's own, defining a class named {@link #CONTEXT}. */
  private static Class<?> defineInAnApplicationLoader() {
    return new ByteBuddy().subclass(Object.class).name(CONTEXT).make()
        .load(new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader()), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
  }

  @Test
  void theSystemLoader_thatCannotSeeTheClass_getsTheOneAnApplicationLoaderFound() {
    AppClass context = new AppClass(CONTEXT);
    ClassLoader commonPool = ClassLoader.getSystemClassLoader(); // a ForkJoinPool.commonPool() thread's context loader
    assertThat(context.in(commonPool)).as("no loader has found it yet").isNull();
    Class<?> defined = defineInAnApplicationLoader();

    assertThat(context.in(defined.getClassLoader())).isSameAs(defined);

    assertThat(context.in(commonPool)).isSameAs(defined);
    assertThat(context.in(ClassLoader.getPlatformClassLoader())).isSameAs(defined);
  }

  @Test
  void anotherApplicationsLoader_thatCannotSeeTheClass_getsNone() {
    AppClass context = new AppClass(CONTEXT);
    Class<?> defined = defineInAnApplicationLoader();
    ClassLoader sibling = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader()); // a web app without it

    assertThat(context.in(defined.getClassLoader())).isSameAs(defined);

    assertThat(context.in(sibling)).isNull();
  }

  @Test
  void twoApplicationsEachWithTheClass_theSystemLoaderGetsNeither() {
    AppClass context = new AppClass(CONTEXT);
    Class<?> first = defineInAnApplicationLoader();
    Class<?> second = defineInAnApplicationLoader();

    assertThat(context.in(first.getClassLoader())).isSameAs(first);
    assertThat(context.in(second.getClassLoader())).isSameAs(second);

    assertThat(context.in(ClassLoader.getSystemClassLoader())).as("whose context it would read is not known").isNull();
  }

  @Test
  void aClassNoLoaderHas_isNull() {
    AppClass missing = new AppClass("org.example.NoSuchContext");

    assertThat(missing.in(ClassLoader.getSystemClassLoader())).isNull();
    assertThat(missing.in(ClassLoader.getPlatformClassLoader())).isNull();
  }
}
