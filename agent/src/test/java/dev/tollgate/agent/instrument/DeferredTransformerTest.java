package dev.tollgate.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
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
