package dev.tollgate.agent.alert;

import dev.tollgate.agent.config.AlertSettings;
import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Posts alerts to the webhook from one daemon thread: a bounded queue (the oldest alert is dropped
 * when it is full, counted, and logged once), bounded retries with doubling back-off for 5xx, 408,
 * 429 and network failures, and no retry for any other 4xx. The URL is never logged: lines name it
 * {@linkplain AlertSettings#masked masked}, and a failure is named by its exception's type only
 * (an I/O exception's message may quote the URL).
 */
final class WebhookSender implements AlertSink {
  static final int CAPACITY = 256;
  /** How long exit waits for queued alerts to be posted. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

  /** One POST; returns the HTTP status. */
  interface Poster {
    int post(byte[] body) throws IOException;
  }

  private final ArrayDeque<AlertEvent> queue = new ArrayDeque<>();
  private final Poster poster;
  private final String where;
  private final int retries;
  private final Duration backoff;
  private long dropped;
  private long droppedReported;
  private boolean busy;
  /** Alerts given up on since the last one delivered; the first of a streak is logged. */
  private long failedStreak;

  WebhookSender(AlertSettings settings) {
    this(new WebhookPoster(settings.webhook), settings.masked(), settings.retries, Duration.ofSeconds(1));
  }

  WebhookSender(Poster poster, String where, int retries, Duration backoff) {
    this.poster = poster;
    this.where = where;
    this.retries = retries;
    this.backoff = backoff;
  }

  void start() {
    Thread t = new Thread(this::run, "tollgate-alerts");
    t.setDaemon(true);
    t.start();
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitEmpty(EXIT_GRACE), "tollgate-alerts-flush"));
    } catch (IllegalStateException e) {
      // The JVM is already exiting (the agent started late in a short-lived JVM): alerts go out while it can.
    }
  }

  @Override
  public void send(AlertEvent event) {
    synchronized (queue) {
      if (queue.size() >= CAPACITY) {
        queue.pollFirst();
        if (dropped++ == 0) {
          Log.warn("alert webhook " + where + " cannot keep up: " + CAPACITY + " alerts are queued, so the oldest are dropped "
              + "(logged once; the count follows when the queue empties)");
        }
      }
      queue.addLast(event);
      queue.notifyAll();
    }
  }

  /** Alerts dropped because the queue was full. */
  long dropped() {
    synchronized (queue) {
      return dropped;
    }
  }

  private void run() {
    while (true) {
      AlertEvent next;
      try {
        next = take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        deliver(next);
      } catch (RuntimeException | LinkageError e) {
        Log.once("alert-failure", Log.Level.ERROR, "alert delivery failed inside Tollgate", e);
      } finally {
        synchronized (queue) {
          busy = false;
          queue.notifyAll();
        }
      }
    }
  }

  private AlertEvent take() throws InterruptedException {
    synchronized (queue) {
      while (queue.isEmpty()) {
        if (dropped > droppedReported) {
          Log.warn("alert webhook " + where + ": " + (dropped - droppedReported) + " alert(s) dropped from a full queue");
          droppedReported = dropped;
        }
        queue.wait();
      }
      busy = true;
      return queue.pollFirst();
    }
  }

  /** Posts one alert, retrying; returns whether it was delivered. */
  boolean deliver(AlertEvent event) {
    byte[] body = event.body();
    String failure = "";
    int attempt = 0;
    for (; attempt <= retries; attempt++) {
      if (attempt > 0 && !sleep(backoff.multipliedBy(1L << Math.min(attempt - 1, 5)))) {
        break;
      }
      try {
        int status = poster.post(body);
        if (status >= 200 && status < 300) {
          delivered();
          return true;
        }
        failure = "HTTP " + status;
        if (status < 500 && status != 408 && status != 429) {
          attempt++;
          break; // the webhook refuses this alert: sending it again cannot help
        }
      } catch (IOException | RuntimeException e) {
        failure = e.getClass().getSimpleName(); // never the message: it may quote the URL
      }
    }
    gaveUp(event, failure, attempt);
    return false;
  }

  private void delivered() {
    if (failedStreak > 0) {
      Log.info("alert webhook " + where + " accepts alerts again (" + failedStreak + " could not be delivered)");
      failedStreak = 0;
    }
  }

  private void gaveUp(AlertEvent event, String failure, int attempts) {
    if (failedStreak++ == 0) {
      Log.warn("alert webhook " + where + " did not accept a " + event.type + " alert (" + failure + ", " + attempts
          + (attempts == 1 ? " attempt" : " attempts") + "); later failures are counted until it accepts one");
    }
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until every queued alert was tried, at most {@code max}; returns whether the queue emptied. */
  boolean awaitEmpty(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (queue) {
      while (!queue.isEmpty() || busy) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          queue.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }
}
