package dev.tollgate.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppThreadsTest {
  private static final InheritableThreadLocal<String> TENANT = new InheritableThreadLocal<>();

  @AfterEach
  void clearFlag() {
    Thread.interrupted();
  }

  @Test
  void uninterrupted_runsWithTheFlagClear_andSetsItAgainAfter_evenWhenTheWorkThrows() {
    Thread.currentThread().interrupt();

    boolean seenInside = AppThreads.uninterrupted(() -> Thread.currentThread().isInterrupted());

    assertThat(seenInside).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThatThrownBy(() -> AppThreads.uninterrupted(() -> {
      throw new IOException("down");
    })).hasMessage("down");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void uninterrupted_onAThreadNotInterrupted_leavesItSo() {
    AppThreads.uninterrupted(() -> "done");

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void daemon_startedFromAnApplicationThread_takesNeitherItsThreadLocalsNorItsClassLoader() throws Exception {
    AtomicReference<Thread> made = new AtomicReference<>();
    AtomicReference<String> tenantSeen = new AtomicReference<>("unset");
    Thread app = new Thread(() -> {
      TENANT.set("acme");
      Thread t = AppThreads.daemon(() -> tenantSeen.set(TENANT.get()), "tollgate-test");
      made.set(t);
      t.start();
    });
    ClassLoader webapp = new URLClassLoader(new URL[0], null);
    app.setContextClassLoader(webapp);
    app.start();
    app.join();
    made.get().join();

    assertThat(made.get().isDaemon()).isTrue();
    assertThat(made.get().getName()).isEqualTo("tollgate-test");
    assertThat(made.get().getContextClassLoader()).isSameAs(ClassLoader.getSystemClassLoader()).isNotSameAs(webapp);
    assertThat(tenantSeen.get()).isNull();
  }
}
