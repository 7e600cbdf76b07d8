package dev.tollgate.it.apps;

import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One forked JVM serving many scenarios: runs other apps' {@code main} methods one after another, as
 * its standard input lists them, so the agent, the client library and the JIT start once for all.
 *
 * <p>Each input line is tab-separated: {@code ID <TAB> APP-CLASS <TAB> ARG <TAB> ARG...} (JSON bodies
 * hold spaces, never tabs). For each line the driver prints, on standard output:
 * <pre>
 * BEGIN ID
 * ...whatever the app prints (STATUS, BLOCKED, BODY, LINE, ERROR...)...
 * FAILED class message          (only when the app's main threw)
 * AFTER balance open-reservations
 * END ID
 * </pre>
 * and {@code BEGIN ID} / {@code END ID} on standard error too, around the agent's own lines there (the
 * agent writes them synchronously to the same stream, so they fall inside the scenario that caused
 * them). At the end of its input it prints {@code DONE} and exits 0: the agent's shutdown hook then
 * writes out the journal.
 *
 * <p>The driver calls the app's {@code public static void run(String[])} when it has one, else its
 * {@code main}: an app whose {@code main} must end the JVM (Reactor Netty's event loops are not
 * daemons) keeps its work in {@code run}.
 *
 * <p>With {@code --listen} it also registers a listener that prints {@code ONBLOCKED model credits}
 * and {@code LOW balance warning} (fired on the calling thread, so inside the scenario's lines).
 *
 * <pre>ScenarioDriver [--listen] &lt; script</pre>
 */
public final class ScenarioDriver {
  public static void main(String[] argv) throws Exception {
    if (Arrays.asList(argv).contains("--listen")) {
      Tollgate.addListener(new TollgateListener() {
        @Override
        public void onBlocked(BlockedCall call) {
          System.out.println("ONBLOCKED " + call.model() + " " + call.required().toPlainString());
        }

        @Override
        public void onLowBalance(CreditBalance balance) {
          System.out.println("LOW " + balance.balanceCredits().toPlainString() + " " + balance.warningLow());
        }
      });
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ACTIVE " + Tollgate.isActive());
    for (String line; (line = in.readLine()) != null;) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      String id = fields[0];
      System.out.println("BEGIN " + id);
      System.err.println("BEGIN " + id);
      try {
        Class<?> app = Class.forName(fields[1]);
        java.lang.reflect.Method entry;
        try {
          entry = app.getMethod("run", String[].class);
        } catch (NoSuchMethodException e) {
          entry = app.getMethod("main", String[].class);
        }
        entry.invoke(null, (Object) Arrays.copyOfRange(fields, 2, fields.length));
      } catch (InvocationTargetException e) {
        Throwable t = e.getCause();
        System.out.println("FAILED " + t.getClass().getName() + " " + t.getMessage());
        t.printStackTrace(System.out);
      }
      System.out.println("AFTER " + Tollgate.balance().balanceCredits().toPlainString() + " " + Tollgate.openReservations());
      System.out.println("END " + id);
      System.out.flush();
      System.err.println("END " + id);
    }
    System.out.println("DONE");
    System.out.flush();
    System.exit(0);
  }
}
