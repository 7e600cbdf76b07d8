package dev.tollgate.agent.meter;

import dev.tollgate.agent.log.Log;
import dev.tollgate.api.TollgateListener;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/** The application's listeners; a listener that throws is logged once and never reaches the call. */
public final class Listeners {
  private final Set<TollgateListener> listeners = new CopyOnWriteArraySet<>();

  public void add(TollgateListener l) {
    listeners.add(l);
  }

  public void remove(TollgateListener l) {
    listeners.remove(l);
  }

  public void fire(Consumer<TollgateListener> event) {
    for (TollgateListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException | LinkageError e) {
        Log.once("listener-" + l.getClass().getName(), Log.Level.WARN, "listener " + l.getClass().getName() + " threw; ignored", e);
      }
    }
  }
}
