package dev.tollgate.it.apps;

import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.BudgetStatus;
import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An OkHttp application driven line by line on standard input, so one JVM serves a test's whole
 * story: {@code call URL JSON} (prints {@code STATUS code body}), {@code budgets} (prints one {@code
 * BUDGET} line per {@link Tollgate#budgets()} entry) and {@code quit}. Each command ends with {@code
 * DONE}. Budget thresholds and blocks reach it as listener events ({@code THRESHOLD}, {@code BLOCKED}).
 */
public final class BudgetApp {
  public static void main(String[] argv) throws Exception {
    Tollgate.addListener(new TollgateListener() {
      @Override
      public void onBudgetThreshold(BudgetStatus budget, String threshold) {
        System.out.println("THRESHOLD " + budget.scope() + " " + budget.period() + " " + threshold);
      }

      @Override
      public void onBlocked(BlockedCall call) {
        System.out.println("BLOCKED " + call.model() + " " + (call.budget() == null ? "wallet" : call.budget().scope()));
      }
    });
    System.out.println("ACTIVE " + Tollgate.isActive());
    OkHttpClient client = new OkHttpClient();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("quit")) {
      String[] parts = line.split(" ", 3);
      if (parts[0].equals("call")) {
        Request request = new Request.Builder().url(parts[1]).post(RequestBody.create(MediaType.parse("application/json"), parts[2]))
            .build();
        try (Response r = client.newCall(request).execute()) {
          System.out.println("STATUS " + r.code() + " " + r.body().string().replace('\n', ' '));
        }
      } else if (parts[0].equals("budgets")) {
        for (BudgetStatus b : Tollgate.budgets()) {
          System.out.println("BUDGET " + b.scope() + " " + b.period() + " limit=" + b.limit().toPlainString() + " spent="
              + b.spent().toPlainString() + " reserved=" + b.reserved().toPlainString() + " resets_at=" + b.resetsAt());
        }
      }
      System.out.println("DONE");
      System.out.flush();
    }
  }
}
