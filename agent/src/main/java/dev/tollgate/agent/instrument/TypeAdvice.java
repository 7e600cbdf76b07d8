package dev.tollgate.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Types an instrumentation rewrites, by name, and the advice it applies to their methods. Byte Buddy
 * appears only in {@link #advise}, which runs once Byte Buddy is built: a descriptor costs nothing at
 * start-up but its names (a subclass, not a lambda, so that creating it links no Byte Buddy type).
 */
public abstract class TypeAdvice {
  final List<String> types;

  /** @param types the binary names of the classes this advice is applied to ({@code a.b.C$D}) */
  protected TypeAdvice(String... types) {
    this.types = List.of(types);
  }

  /** Adds this advice to {@code advice}, the transformer for {@link #types}; called when Byte Buddy is built. */
  protected abstract AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice);

  /** The package of the advice: by default, that of the subclass, which sits beside its advice. */
  String packageName() {
    return getClass().getPackageName();
  }

  /** The common case: {@code adviceClass} on every method {@code method} that takes {@code arguments} arguments. */
  public static TypeAdvice onMethod(String method, int arguments, String adviceClass, String... types) {
    return new OnMethod(method, arguments, adviceClass, types);
  }

  private static final class OnMethod extends TypeAdvice {
    private final String method;
    private final int arguments;
    private final String adviceClass;

    OnMethod(String method, int arguments, String adviceClass, String... types) {
      super(types);
      this.method = method;
      this.arguments = arguments;
      this.adviceClass = adviceClass;
    }

    @Override
    protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
      return advice.advice(named(method).and(takesArguments(arguments)), adviceClass);
    }

    @Override
    String packageName() {
      return adviceClass.substring(0, adviceClass.lastIndexOf('.'));
    }
  }
}
