package dev.tollgate.agent.instrument;

/**
 * The test class path minus the agent's classes outside the boot bridge: what an application
 * server's loader sees. A support defined beside it that refers to anything else of the agent fails.
 */
public final class HidingAgentInternals extends ClassLoader {
  public HidingAgentInternals(ClassLoader all) {
    super(all);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith("dev.tollgate.agent.") && !name.startsWith("dev.tollgate.agent.bootstrap.")) {
      throw new ClassNotFoundException(name);
    }
    return super.loadClass(name, resolve);
  }
}
