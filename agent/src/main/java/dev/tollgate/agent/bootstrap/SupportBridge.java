package dev.tollgate.agent.bootstrap;

/**
 * What every bridge to a library support has: advice sees the support beside the application's copy
 * of a library through a subclass of this (on the boot class path, so it may name only JDK types;
 * library types cross as {@code Object}). Each bridge has a null object, {@code UNMETERED}, which
 * advice gets where the support could not be defined: it {@linkplain #meters meters} nothing, and
 * every call through it passes through.
 */
public abstract class SupportBridge {

  /** False for the null object: advice leaves the call alone. */
  public boolean meters() {
    return true;
  }
}
