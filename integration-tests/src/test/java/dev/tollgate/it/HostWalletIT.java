package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.SharedWalletApp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several JVMs on one data dir share its local wallet (no Redis): together they spend one budget, a
 * JVM killed with SIGKILL leaves its lease to the others, and a grant made with the CLI reaches them
 * all. Every call costs {@link OverspendIT#FULL_LENGTH_COST}, under the reservation it makes; all
 * totals come from the one journal they share.
 */
class HostWalletIT extends LoopbackTest {
  private LoadServer load;
  private final List<Process> forks = new ArrayList<>();

  @BeforeEach
  void serveFullLengthCalls() {
    load = new LoadServer(OverspendIT.FULL_LENGTH);
    server.setDispatcher(load);
  }

  @AfterEach
  void destroyForks() {
    forks.forEach(Process::destroyForcibly); // a failed test leaves no JVM waiting for "go"
  }

  private Fork app(BigDecimal budget, Object... commands) {
    return Fork.app("okhttp4", SharedWalletApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", budget)
        .prop("tollgate.tokenizer", "heuristic").endpoint("fake", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).args(commands);
  }

  private Driven start(Fork fork, String name) throws Exception {
    return new Driven(fork, tmp.resolve(name + ".err"), forks);
  }

  /**
   * Four JVMs of 16 threads each wait until all run, then call until blocked at once. Leases never
   * lend more than the wallet holds, so together they spend at most the budget plus one reservation
   * per JVM (here at most the budget: no call costs more than it reserved). Once they have exited, a
   * fifth JVM spends what their leases and open reservations left: the total then comes within one
   * reservation of the budget, and never above it.
   */
  @Test
  void fourJvmsOfSixteenThreads_spendOneBudget_andLeaveTheRestToTheNext() throws Exception {
    BigDecimal budget = new BigDecimal("0.02");
    List<Driven> jvms = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      jvms.add(start(app(budget, "call", "wait", "threads", 16), "jvm" + i));
    }
    for (Driven d : jvms) {
      d.awaitLine("WAITING"); // after one call: each holds a lease before any races
    }
    jvms.forEach(d -> send(d, "go"));
    List<Fork.Result> results = new ArrayList<>();
    for (Driven d : jvms) {
      results.add(d.finish());
    }

    List<JsonNode> records = Journal.records(dataDir);
    BigDecimal spent = cost(records);
    BigDecimal reservation = largestReservation(records);
    for (Fork.Result r : results) {
      assertThat(r.lines("BLOCKED")).as(r.toString()).hasSize(1);
      assertThat(Integer.parseInt(r.lines("CALLS ").get(0))).as("each JVM spent from its own lease").isPositive();
    }
    assertThat(load.metered()).as("blocked calls reached no server").isEqualTo(records.stream().filter(HostWalletIT::ok).count());
    assertThat(spent).isLessThanOrEqualTo(budget.add(reservation.multiply(BigDecimal.valueOf(4)))).isLessThanOrEqualTo(budget);

    Fork.Result fifth = app(budget, "until-blocked").run();
    BigDecimal total = cost(Journal.records(dataDir));
    assertThat(fifth.lines("BLOCKED")).as(fifth.toString()).hasSize(1);
    assertThat(total).isLessThanOrEqualTo(budget).isGreaterThan(budget.subtract(reservation));
    System.out.println("HostWalletIT: four JVMs x 16 threads spent " + spent.toPlainString() + " of " + budget + " ("
        + results.stream().map(r -> r.lines("CALLS ").get(0)).reduce((a, b) -> a + " + " + b).orElse("") + " calls), a fifth the rest: "
        + total.toPlainString() + "; one reservation " + reservation.toPlainString());
  }

  /**
   * A JVM holds a lease and has spent one call it never reported (its next report was due in 30 s)
   * when it is killed with SIGKILL. The JVM still running takes the dead one's lease back, less the
   * call the dead one published as spent, and spends it: together they spend the budget to within
   * one reservation, and never more.
   */
  @Test
  void kill9_ofOneJvm_returnsItsLeaseLessItsSpend_andTheOtherSpendsIt() throws Exception {
    BigDecimal budget = new BigDecimal("0.005");
    Driven a = start(app(budget, "call", "hold"), "a");
    a.awaitLine("HOLDING");
    Driven b = start(app(budget, "call", "wait", "until-blocked"), "b");
    b.awaitLine("WAITING"); // b shares the wallet with a alive
    a.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    send(b, "go");
    Fork.Result rb = b.finish();

    List<JsonNode> records = Journal.records(dataDir);
    BigDecimal spent = cost(records);
    assertThat(rb.lines("STATUS ")).as(rb.toString()).containsExactly("200");
    assertThat(rb.lines("BLOCKED")).hasSize(1);
    // Left unreclaimed, a's lease (5% of the budget, about four calls) would stay out of b's reach; returned
    // whole, a's unreported call would be spent twice.
    assertThat(spent).as("a's lease spent by b, a's own call counted once").isLessThanOrEqualTo(budget)
        .isGreaterThan(budget.subtract(largestReservation(records)));
  }

  /**
   * Two JVMs spend a small budget until both are blocked; {@code tollgate grant} adds credits while
   * they run; both are told to go on, and together they spend the grant too, to within one
   * reservation each.
   */
  @Test
  void grantByCli_whileJvmsRun_isSpentByThem() throws Exception {
    BigDecimal budget = new BigDecimal("0.001");
    BigDecimal granted = new BigDecimal("0.002");
    Driven a = start(app(budget, "until-blocked", "wait", "until-blocked"), "a");
    Driven b = start(app(budget, "until-blocked", "wait", "until-blocked"), "b");
    a.awaitLine("WAITING");
    b.awaitLine("WAITING");
    BigDecimal beforeGrant = cost(Journal.records(dataDir));

    Fork.Result grant = Fork.cli("grant", "--data-dir", dataDir.toString(), "--credits", granted.toPlainString(), "--source-type", "promo");
    assertThat(grant.exit).as(grant.toString()).isZero();
    send(a, "go");
    send(b, "go");
    Fork.Result ra = a.finish();
    Fork.Result rb = b.finish();

    List<JsonNode> records = Journal.records(dataDir);
    BigDecimal spent = cost(records);
    BigDecimal reservation = largestReservation(records);
    assertThat(ra.lines("BLOCKED")).as(ra.toString()).hasSize(2);
    assertThat(rb.lines("BLOCKED")).as(rb.toString()).hasSize(2);
    assertThat(beforeGrant).isLessThanOrEqualTo(budget);
    assertThat(spent).isLessThanOrEqualTo(budget.add(granted))
        .isGreaterThan(budget.add(granted).subtract(reservation.multiply(BigDecimal.valueOf(2))));
  }

  private static void send(Driven d, String line) {
    try {
      d.send(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean ok(JsonNode record) {
    return record.get("status").asText().equals("ok");
  }

  private static BigDecimal cost(List<JsonNode> records) {
    return records.stream().filter(HostWalletIT::ok).map(n -> n.get("cost").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static BigDecimal largestReservation(List<JsonNode> records) {
    return records.stream().map(n -> n.get("reservation").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::max);
  }
}
