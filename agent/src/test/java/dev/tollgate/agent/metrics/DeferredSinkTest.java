package dev.tollgate.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredSinkTest {

  private static UsageRecord record(String id) {
    return UsageRecord.builder().id(id).time(Instant.EPOCH).provider("openai").model("m").operation("chat").endpoint("https://x/v1")
        .status(UsageRecord.Status.OK).httpStatus(200).cost(BigDecimal.ZERO).reservation(BigDecimal.ONE).build();
  }

  @Test
  void started_getsTheCallsBeforeItInOrder_thenEveryLaterOne() {
    DeferredSink deferred = new DeferredSink();
    List<String> seen = new ArrayList<>();
    deferred.onCall(record("a"), null, 1, 0);
    deferred.onCall(record("b"), "m", 2, 3);

    deferred.started((r, model, cost, firstChunk) -> seen.add(r.id() + "/" + model + "/" + cost + "/" + firstChunk));
    deferred.onCall(record("c"), null, 4, 0);

    assertThat(seen).containsExactly("a/null/1/0", "b/m/2/3", "c/null/4/0");
  }

  @Test
  void pastTheLimit_callsBeforeTheStartAreDropped_notKeptWithoutBound() {
    DeferredSink deferred = new DeferredSink();
    for (int i = 0; i < DeferredSink.MAX_KEPT + 5; i++) {
      deferred.onCall(record("r" + i), null, 1, 0);
    }
    List<String> seen = new ArrayList<>();

    deferred.started((r, model, cost, firstChunk) -> seen.add(r.id()));

    assertThat(seen).hasSize(DeferredSink.MAX_KEPT).startsWith("r0");
  }
}
