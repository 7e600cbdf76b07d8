package dev.tollgate.agent.bootstrap;

/**
 * The agent's Apache HttpClient 4 support, seen from advice inlined into the client: what advice
 * cannot write itself because it implements a library type. Defined beside each copy of the library
 * ({@link #SUPPORT}); the client's types cross as {@code Object}.
 */
public abstract class Apache4Bridge extends SupportBridge {
  /** The null object: meters nothing, passes every call through. */
  public static final Apache4Bridge UNMETERED = new Unmetered();
  /** Where advice finds the support beside each copy of the library, keyed by its {@code CloseableHttpClient}. */
  public static final LibraryBridges<Apache4Bridge> SUPPORT = new LibraryBridges<>(UNMETERED);

  /** The synthetic 402 {@code CloseableHttpResponse} of a blocked call, {@code body} its JSON entity. */
  public abstract Object blockedResponse(String body);

  private static final class Unmetered extends Apache4Bridge {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public Object blockedResponse(String body) {
      throw new IllegalStateException("never blocks");
    }
  }
}
