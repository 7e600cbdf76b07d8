package dev.tollgate.agent.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The off-heap table of every scope's state: slots found by exact key, growth, listing, sweeping and its files. */
class SpendTableTest {
  private static final Instant DAY = Instant.parse("2026-12-07T00:00:00Z");
  private static final Instant NEXT_DAY = Instant.parse("2026-12-08T00:00:00Z");

  @TempDir
  Path dir;

  private static Tally tally(SpendTable table, BudgetPeriod period, Instant start, String... dimensionsAndValues) {
    String[] dimensions = new String[dimensionsAndValues.length / 2];
    String[] values = new String[dimensions.length];
    for (int i = 0; i < dimensions.length; i++) {
      dimensions[i] = dimensionsAndValues[2 * i];
      values[i] = dimensionsAndValues[2 * i + 1];
    }
    return new Tally(table, dimensions, values, period, start, null, null, PeriodSpendSource.NONE);
  }

  private static Tally tenant(SpendTable table, String tenant) {
    return tally(table, BudgetPeriod.DAY, DAY, "tenant", tenant);
  }

  @Test
  void aSlot_isFoundByEveryHandleOnTheSameKey_andOnlyByThem() {
    try (SpendTable table = new SpendTable(dir)) {
      Tally acme = tenant(table, "acme");
      acme.settle(0, 70);
      assertThat(acme.reserve(20, 100, true)).isTrue();
      assertThat(tenant(table, "acme").remaining(100)).isEqualTo(10); // a new handle: the same slot
      assertThat(tenant(table, "globex").remaining(100)).isEqualTo(100);
      assertThat(table.size()).isEqualTo(2);
    }
  }

  @Test
  void keys_differingOnlyInWhereANameEnds_orInPeriodOrStart_areDistinct() {
    try (SpendTable table = new SpendTable(dir)) {
      List<Tally> keys = List.of(tally(table, BudgetPeriod.DAY, DAY, "ab", "c"), tally(table, BudgetPeriod.DAY, DAY, "a", "bc"),
          tally(table, BudgetPeriod.DAY, DAY, "a", "b", "c", ""), tally(table, BudgetPeriod.DAY, DAY, "a", "b\u0000c"),
          tally(table, BudgetPeriod.MONTH, DAY, "ab", "c"), tally(table, BudgetPeriod.DAY, NEXT_DAY, "ab", "c"),
          tally(table, BudgetPeriod.DAY, DAY), tally(table, BudgetPeriod.DAY, DAY, "tenant", "\u00e9\u4e2d"));
      for (int i = 0; i < keys.size(); i++) {
        keys.get(i).settle(0, i + 1);
      }
      assertThat(table.size()).isEqualTo(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        assertThat(keys.get(i).remaining(100)).as("key %d", i).isEqualTo(100 - i - 1);
      }
    }
  }

  @Test
  void aFullTable_refusesANewScope_andEveryScopeItHoldsKeepsWorking() {
    try (SpendTable table = new SpendTable(dir, 1024)) {
      Tally first = tenant(table, "t0");
      assertThat(first.reserve(5, 1000, true)).isTrue(); // in flight when the table fills
      int held = 1;
      SpendTable.Full full = null;
      while (full == null) {
        try {
          tenant(table, "t" + held).settle(0, 1);
          held++;
        } catch (SpendTable.Full e) {
          full = e;
        }
      }

      assertThat(full).hasMessageContaining(held + " scopes");
      assertThat(held).isBetween(1000, 1023); // it grows no further than 1024 slots, and fills them nearly all
      assertThat(table.size()).isEqualTo(held);
      first.settle(5, 7); // the call in flight settles on its own slot
      assertThat(tenant(table, "t0").remaining(1000)).isEqualTo(993);
      assertThat(tenant(table, "t" + (held - 1)).remaining(1000)).isEqualTo(999);
      assertThatThrownBy(() -> tenant(table, "another").reserve(1, 1000, true)).isInstanceOf(SpendTable.Full.class);
    }
  }

  @Test
  void growing_keepsEveryScopesSpendAndReservations_andHandlesMadeBeforeItStillLandOnTheirSlot() throws Exception {
    try (SpendTable table = new SpendTable(dir)) {
      Tally first = tenant(table, "t0");
      assertThat(first.reserve(5, 1000, true)).isTrue(); // in flight while the table grows
      Path small = table.file();
      long bytes = table.bytes();
      int n = 50_000;
      for (int i = 1; i < n; i++) {
        tenant(table, "t" + i).settle(0, i);
      }
      assertThat(table.bytes()).isGreaterThan(bytes);
      assertThat(small).doesNotExist(); // each size's file is deleted once copied
      assertThat(table.file()).exists();
      first.settle(5, 3);
      assertThat(table.size()).isEqualTo(n);
      for (int i = 1; i < n; i++) {
        assertThat(tenant(table, "t" + i).remaining(n)).isEqualTo(n - i);
      }
      assertThat(tenant(table, "t0").remaining(1000)).isEqualTo(997);
      Map<String, Long> listed = new HashMap<>();
      table.forEach((period, start, dimensions, values, spent, reserved, others) -> listed.put(values[0], spent));
      assertThat(listed).hasSize(n).containsEntry("t0", 3L).containsEntry("t49999", 49_999L);
    }
  }

  @Test
  void sweep_dropsIdleScopesOfEndedPeriods_andKeepsThoseACallStillHolds() {
    try (SpendTable table = new SpendTable(dir)) {
      Tally held = tenant(table, "held");
      held.reserve(5, 100, true);
      for (int i = 0; i < 2000; i++) {
        tenant(table, "idle" + i).settle(0, 1);
      }
      tally(table, BudgetPeriod.DAY, NEXT_DAY, "tenant", "tomorrow").settle(0, 7);
      long ended = DAY.getEpochSecond() * 8 + BudgetPeriod.DAY.ordinal();
      long grown = table.bytes();
      assertThat(table.sweep(k -> k == ended)).isEqualTo(2);
      assertThat(table.bytes()).isLessThan(grown); // shrunk back
      held.settle(5, 4);
      assertThat(tally(table, BudgetPeriod.DAY, NEXT_DAY, "tenant", "tomorrow").remaining(100)).isEqualTo(93);
      assertThat(table.sweep(k -> k == ended)).isEqualTo(1); // settled: now it goes too
    }
  }

  @Test
  void theFile_isOwnerOnly_andDeletedAtClose() throws Exception {
    SpendTable table = new SpendTable(dir.resolve("budgets"));
    tenant(table, "acme").settle(0, 1);
    Path file = table.file();
    assertThat(file).exists().hasParent(dir.resolve("budgets"));
    assertThat(file.getFileName().toString()).startsWith("scopes-" + ProcessHandle.current().pid() + "-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("budgets")))).isEqualTo("rwx------");
    table.close();
    assertThat(file).doesNotExist();
  }

  @Test
  void opening_deletesTheTablesOfJvmsThatAreGone_andKeepsLiveOnes() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = Files.createFile(dir.resolve("scopes-" + gone.pid() + "-1.tbl"));
    Path mine = Files.createFile(dir.resolve("scopes-" + ProcessHandle.current().pid() + "-999999.tbl"));
    Path other = Files.createFile(dir.resolve("notes.txt"));
    try (SpendTable table = new SpendTable(dir)) {
      assertThat(dead).doesNotExist();
      assertThat(mine).exists();
      assertThat(other).exists();
    }
  }

  @Test
  void growing_onAThreadWhoseInterruptFlagIsSet_keepsTheTableInItsFile_andLeavesTheFlagSet() {
    try (SpendTable table = new SpendTable(dir)) {
      tenant(table, "t0").settle(0, 1);
      long bytes = table.bytes();
      Thread.currentThread().interrupt(); // a budgeted call on a task cancelled as it runs
      try {
        for (int i = 1; i < 3000; i++) {
          tenant(table, "t" + i).settle(0, i);
        }
        assertThat(Thread.currentThread().isInterrupted()).as("the application's interrupt is left for it").isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(table.bytes()).isGreaterThan(bytes);
      assertThat(table.file()).as("grown into a new file, not off-heap memory").isNotNull().exists();
    }
  }

  @Test
  void withoutAUsableDirectory_theTableLivesInOffHeapMemory() throws Exception {
    Path notADir = Files.createFile(dir.resolve("file"));
    try (SpendTable table = new SpendTable(notADir)) {
      List<Tally> tallies = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        Tally t = tenant(table, "t" + i);
        t.settle(0, i);
        tallies.add(t);
      }
      assertThat(table.file()).isNull();
      assertThat(tallies.get(2999).remaining(3000)).isEqualTo(1);
    }
  }
}
