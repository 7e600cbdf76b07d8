package dev.tollgate.agent.alert;

/** Where alerts go. {@link #send} must return at once: it is called on application threads. */
interface AlertSink {
  /** The sink while no webhook is configured: drops everything. */
  AlertSink NONE = event -> {};

  void send(AlertEvent event);
}
