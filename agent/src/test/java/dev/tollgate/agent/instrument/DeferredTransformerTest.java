package dev.tollgate.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredTransformerTest {
  private static final byte[] BYTES = {1, 2, 3};
  private static final byte[] REWRITTEN = {4, 5, 6};

  private final AtomicInteger built = new AtomicInteger();

  private DeferredTransformer transformer(ClassFileTransformer real) {
    return new DeferredTransformer(Set.of("okhttp3.internal.http.RetryAndFollowUpInterceptor"), () -> {
      built.incrementAndGet();
      return real;
    });
  }

  @Test
  void classesItDoesNotRewrite_neverBuildTheRealTransformer() throws Exception {
    DeferredTransformer t = transformer(rewriting());
    assertThat(t.transform(Object.class.getModule(), null, "okhttp3/OkHttpClient", null, null, BYTES)).isNull();
    assertThat(t.transform(Object.class.getModule(), null, null, null, null, BYTES)).isNull();
    assertThat(built).hasValue(0);
  }

  @Test
  void theFirstTargetBuildsTheRealTransformerOnce_andEveryTargetGoesThroughIt() throws Exception {
    DeferredTransformer t = transformer(rewriting());
    String name = "okhttp3/internal/http/RetryAndFollowUpInterceptor";
    assertThat(t.transform(Object.class.getModule(), null, name, null, null, BYTES)).isEqualTo(REWRITTEN);
    assertThat(t.transform(Object.class.getModule(), null, name, null, null, BYTES)).isEqualTo(REWRITTEN);
    assertThat(built).hasValue(1);
  }

  @Test
  void aTransformerThatCannotBeBuilt_leavesClassesAsTheyAre_andIsNotRetried() throws Exception {
    DeferredTransformer t = new DeferredTransformer(Set.of("a.B"), () -> {
      built.incrementAndGet();
      throw new IllegalStateException("no byte buddy today");
    });
    assertThat(t.transform(Object.class.getModule(), null, "a/B", null, null, BYTES)).isNull();
    assertThat(t.transform(Object.class.getModule(), null, "a/B", null, null, BYTES)).isNull();
    assertThat(built).hasValue(1);
  }

  @Test
  void aFailureInsideTheRealTransformer_leavesTheClassAsItWas() throws Exception {
    DeferredTransformer t = transformer(new ClassFileTransformer() {
      @Override
      public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
          java.security.ProtectionDomain pd, byte[] bytes) {
        throw new LinkageError("boom");
      }
    });
    assertThat(t.transform(Object.class.getModule(), null, "okhttp3/internal/http/RetryAndFollowUpInterceptor", null, null, BYTES))
        .isNull();
  }

  @Test
  void prepareInBackground_buildsItBeforeAnyTargetLoads() throws Exception {
    DeferredTransformer t = transformer(rewriting());
    t.prepareInBackground(() -> {});
    // No class is transformed and delegate() is not asked: only the background thread can build it.
    for (int i = 0; i < 1000 && built.get() == 0; i++) {
      Thread.sleep(10);
    }
    assertThat(built).hasValue(1);
    assertThat(t.delegate()).isNotNull();
    assertThat(built).hasValue(1);
  }

  @Test
  void aNoWaitClassLoadedBeforeTheBuild_loadsAsItIs_withoutBuildingOnTheLoadingThread() throws Exception {
    // The socket check under warn: a JVM's first connection must not wait for Byte Buddy.
    DeferredTransformer t = new DeferredTransformer(Set.of("java.net.Socket", "okhttp3.Call"), Set.of("java.net.Socket"), () -> {
      throw new AssertionError("built on the thread loading the class");
    });

    assertThat(t.transform(Object.class.getModule(), null, "java/net/Socket", null, null, BYTES)).isNull();
    assertThat(t.skipped()).containsExactly("java.net.Socket");
  }

  @Test
  void aNoWaitClassLoadedAfterTheBuild_isRewrittenAsItLoads() throws Exception {
    DeferredTransformer t = new DeferredTransformer(Set.of("java.net.Socket"), Set.of("java.net.Socket"), () -> {
      built.incrementAndGet();
      return rewriting();
    });
    assertThat(t.delegate()).isNotNull();

    assertThat(t.transform(Object.class.getModule(), null, "java/net/Socket", null, null, BYTES)).isEqualTo(REWRITTEN);
    assertThat(t.skipped()).isEmpty();
  }

  @Test
  void retransformSkipped_rewritesTheNoWaitClassesLoadedBeforeTheBuild_once() throws Exception {
    DeferredTransformer t = new DeferredTransformer(Set.of("java.net.Socket", "java.net.ServerSocket"), Set.of("java.net.Socket",
        "java.net.ServerSocket"), () -> rewriting());
    t.transform(Object.class.getModule(), null, "java/net/Socket", null, null, BYTES);
    List<Class<?>> retransformed = new ArrayList<>();
    Instrumentation inst = instrumentation(new Class<?>[] {String.class, java.net.Socket.class, java.net.ServerSocket.class},
        retransformed);
    assertThat(t.delegate()).isNotNull();

    t.retransformSkipped(inst);

    assertThat(retransformed).containsExactly(java.net.Socket.class);
    assertThat(t.skipped()).isEmpty();
    t.retransformSkipped(inst);
    assertThat(retransformed).containsExactly(java.net.Socket.class);
  }

  /** An {@link Instrumentation} that lists {@code loaded} and records what it is asked to retransform. */
  private static Instrumentation instrumentation(Class<?>[] loaded, List<Class<?>> retransformed) {
    return (Instrumentation) Proxy.newProxyInstance(Instrumentation.class.getClassLoader(), new Class<?>[] {Instrumentation.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getAllLoadedClasses":
              return loaded;
            case "isModifiableClass":
              return true;
            case "retransformClasses":
              retransformed.addAll(Arrays.asList((Class<?>[]) args[0]));
              return null;
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  private static ClassFileTransformer rewriting() {
    return new ClassFileTransformer() {
      @Override
      public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
          java.security.ProtectionDomain pd, byte[] bytes) {
        return REWRITTEN;
      }
    };
  }
}
