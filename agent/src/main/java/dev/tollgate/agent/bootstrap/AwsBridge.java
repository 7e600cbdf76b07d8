package dev.tollgate.agent.bootstrap;

/**
 * The agent's AWS SDK for Java v2 support, seen from advice inlined into the SDK's own HTTP stages
 * ({@code MakeHttpRequestStage}, {@code MakeAsyncHttpRequestStage}). Its implementation implements
 * the SDK's HTTP client SPI, so it is defined beside each copy of the SDK the application loads
 * ({@link Hooks#AWS}); the SDK's clients cross as {@code Object}.
 */
public abstract class AwsBridge extends SupportBridge {
  /** The null object: meters nothing, the stage keeps its client. */
  public static final AwsBridge UNMETERED = new Unmetered();

  /**
   * The {@code SdkHttpClient} a sync stage sends through instead of {@code client}: the same client,
   * with metered calls estimated, reserved and blocked before it is asked to open anything, and their
   * responses tapped as the SDK reads them.
   */
  public abstract Object wrapSync(Object client);

  /**
   * As {@link #wrapSync}, for an async stage's {@code SdkAsyncHttpClient}.
   *
   * @param caller what {@link Hooks#captureCaller()} took on the thread that started the SDK call
   */
  public abstract Object wrapAsync(Object client, /* @Nullable */ Object caller);

  private static final class Unmetered extends AwsBridge {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public Object wrapSync(Object client) {
      return client;
    }

    @Override
    public Object wrapAsync(Object client, Object caller) {
      return client;
    }
  }
}
