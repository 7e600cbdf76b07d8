package dev.tollgate.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnmeteredConnectionsTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final UnmeteredConnections seen = new UnmeteredConnections(now::get);

  private static List<UnmeteredConnections.Entry> entries(UnmeteredConnections c) {
    List<UnmeteredConnections.Entry> out = new ArrayList<>();
    c.forEach(out::add);
    return out;
  }

  @Test
  void add_samePairAgain_countsItInTheFirstEntry_andReturnsOnlyTheFirst() {
    UnmeteredConnections.Entry first = seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    now.set(5_000);
    UnmeteredConnections.Entry again = seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);

    assertThat(first).isNotNull();
    assertThat(again).isNull();
    assertThat(entries(seen)).singleElement().satisfies(e -> {
      assertThat(e.count()).isEqualTo(2);
      assertThat(e.host).isEqualTo("api.openai.com");
      assertThat(e.port).isEqualTo(443);
      assertThat(e.client).isEqualTo("com.acme.Raw");
      assertThat(e.provider).isEqualTo("openai");
      assertThat(e.action).isEqualTo("warned");
      assertThat(e.firstSeenMillis).isEqualTo(1_000);
      assertThat(e.lastSeenMillis()).isEqualTo(5_000);
      assertThat(e.overflow).isFalse();
    });
  }

  @Test
  void add_otherPortOrClass_isAnotherEntry_andRefusedOnesSaySo() {
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", true);
    seen.add("api.openai.com", 8443, "com.acme.Raw", "openai", true);
    seen.add("api.openai.com", 443, "com.acme.Other", "openai", true);

    assertThat(entries(seen)).hasSize(3).allSatisfy(e -> assertThat(e.action).isEqualTo("refused"));
    assertThat(seen.total()).isEqualTo(3);
  }

  @Test
  void add_pastMaxSeries_sharesOneOverflowEntry_announcedOnce() {
    List<UnmeteredConnections.Entry> announced = new ArrayList<>();
    seen.onNewEntry(announced::add);
    for (int i = 0; i < UnmeteredConnections.MAX_SERIES + 50; i++) {
      seen.add("10.0.0." + i, 443, "com.acme.Scanner", "openai", false);
    }
    seen.add("10.0.0.1", 443, "com.acme.Scanner", "openai", false); // a pair from before the cap keeps its own entry

    List<UnmeteredConnections.Entry> all = entries(seen);
    assertThat(all).hasSize(UnmeteredConnections.MAX_SERIES + 1);
    assertThat(all).filteredOn(e -> e.overflow).singleElement().satisfies(e -> {
      assertThat(e.count()).isEqualTo(50);
      assertThat(e.host).isEqualTo("_OTHER");
      assertThat(e.client).isEqualTo("_OTHER");
    });
    assertThat(all).filteredOn(e -> e.host.equals("10.0.0.1")).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(2));
    assertThat(announced).hasSize(UnmeteredConnections.MAX_SERIES + 1);
    assertThat(seen.total()).isEqualTo(UnmeteredConnections.MAX_SERIES + 51);
  }

  @Test
  void add_aListenerThatThrows_isContained_andTheConnectionCounted() {
    seen.onNewEntry(e -> {
      throw new IllegalStateException("registry refused it");
    });

    assertThat(seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false)).isNotNull();
    assertThat(seen.total()).isEqualTo(1);
  }

  @Test
  void takeChanged_isTrueOnceAfterEachCount() {
    assertThat(seen.takeChanged()).isFalse();
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    assertThat(seen.takeChanged()).isTrue();
    assertThat(seen.takeChanged()).isFalse();
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    assertThat(seen.takeChanged()).isTrue();
  }

  @Test
  void add_fromManyThreads_missesNoConnection() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            seen.add("host" + (i % 7), 443, "com.acme.T" + (thread % 2), "openai", false);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(seen.total()).isEqualTo(40_000);
    assertThat(entries(seen)).hasSize(14);
  }
}
