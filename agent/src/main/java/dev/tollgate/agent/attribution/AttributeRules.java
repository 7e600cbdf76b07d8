package dev.tollgate.agent.attribution;

import dev.tollgate.agent.usage.BodyPointers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The configured sources of each attribute, {@code tollgate.attribute.<name>=SOURCE[|SOURCE…]},
 * parsed once at start-up: {@code header:<Name>}, {@code body:<JSON pointer>}, {@code mdc:<key>},
 * {@code baggage:<key>}, {@code value:<text>}. The first source that yields a value wins.
 */
public final class AttributeRules {
  public static final AttributeRules NONE = new AttributeRules();
  static final String ALLOWED = "SOURCE[|SOURCE…] where SOURCE is header:<Header-Name>, body:<JSON pointer>, mdc:<key>, "
      + "baggage:<key> or value:<text>, e.g. header:X-Tenant-Id|body:/metadata/tenant_id";

  enum Kind { HEADER, BODY, MDC, BAGGAGE, VALUE }

  /** One source: {@code index} into the distinct headers, pointers, MDC or baggage keys; {@code text} for a value. */
  static final class Source {
    final Kind kind;
    final int index;
    final @Nullable String text;

    Source(Kind kind, int index, @Nullable String text) {
      this.kind = kind;
      this.index = index;
      this.text = text;
    }
  }

  final String[] names;
  final Source[][] sources;
  final String[] headers;
  final BodyPointers pointers;
  final String[] mdcKeys;
  final String[] baggageKeys;

  private AttributeRules() {
    this(new String[0], new Source[0][], List.of(), BodyPointers.NONE, List.of(), List.of());
  }

  private AttributeRules(String[] names, Source[][] sources, List<String> headers, BodyPointers pointers, List<String> mdcKeys,
      List<String> baggageKeys) {
    this.names = names;
    this.sources = sources;
    this.headers = headers.toArray(new String[0]);
    this.pointers = pointers;
    this.mdcKeys = mdcKeys.toArray(new String[0]);
    this.baggageKeys = baggageKeys.toArray(new String[0]);
  }

  /**
   * Parses {@code name → SOURCE[|SOURCE…]}.
   *
   * @throws InvalidRule naming the attribute whose name or sources are invalid
   */
  public static AttributeRules parse(Map<String, String> byName) {
    if (byName.isEmpty()) {
      return NONE;
    }
    String[] names = byName.keySet().toArray(new String[0]);
    String[] specs = byName.values().toArray(new String[0]); // the same order as the keys
    Source[][] sources = new Source[names.length][];
    List<String> headers = new ArrayList<>();
    List<String> pointers = new ArrayList<>();
    List<String> mdc = new ArrayList<>();
    List<String> baggage = new ArrayList<>();
    for (int n = 0; n < names.length; n++) {
      String name = names[n];
      String spec = specs[n];
      if (!Attributes.isValidName(name)) {
        throw new InvalidRule(name, spec, "the attribute name must match [a-z0-9_-]{1,32}");
      }
      String[] parts = spec.split("\\|", -1);
      sources[n] = new Source[parts.length];
      for (int s = 0; s < parts.length; s++) {
        sources[n][s] = source(name, spec, parts[s].trim(), headers, pointers, mdc, baggage);
      }
    }
    BodyPointers bodyPointers;
    try {
      bodyPointers = BodyPointers.of(pointers);
    } catch (IllegalArgumentException e) {
      throw new InvalidRule(names[0], specs[0], e.getMessage());
    }
    return new AttributeRules(names, sources, headers, bodyPointers, mdc, baggage);
  }

  private static Source source(String name, String spec, String part, List<String> headers, List<String> pointers,
      List<String> mdc, List<String> baggage) {
    int colon = part.indexOf(':');
    String kind = colon < 0 ? "" : part.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? "" : part.substring(colon + 1);
    if (kind.equals("value")) {
      String text = Attributes.clip(arg);
      if (text == null) {
        throw new InvalidRule(name, spec, "value: needs a text, e.g. value:billing-worker");
      }
      return new Source(Kind.VALUE, -1, text);
    }
    arg = arg.trim();
    if (arg.isEmpty()) {
      throw new InvalidRule(name, spec, ALLOWED);
    }
    switch (kind) {
      case "header":
        return new Source(Kind.HEADER, indexOf(headers, arg), null);
      case "body":
        try {
          BodyPointers.of(List.of(arg));
        } catch (IllegalArgumentException e) {
          throw new InvalidRule(name, spec, e.getMessage());
        }
        return new Source(Kind.BODY, indexOf(pointers, arg), null);
      case "mdc":
        return new Source(Kind.MDC, indexOf(mdc, arg), null);
      case "baggage":
        return new Source(Kind.BAGGAGE, indexOf(baggage, arg), null);
      default:
        throw new InvalidRule(name, spec, ALLOWED);
    }
  }

  private static int indexOf(List<String> distinct, String item) {
    int i = distinct.indexOf(item);
    if (i >= 0) {
      return i;
    }
    distinct.add(item);
    return distinct.size() - 1;
  }

  /** Whether any attribute is configured. */
  public boolean isEmpty() {
    return names.length == 0;
  }

  /** The request headers the sources read, each once; empty when none. Shared: do not modify. */
  public String[] headers() {
    return headers;
  }

  /** The body pointers the sources read, each once. */
  public BodyPointers bodyPointers() {
    return pointers;
  }

  /** The configured attribute names, in order. */
  public List<String> names() {
    return List.of(names);
  }

  /** An attribute whose configuration is invalid: {@link #getMessage} says what is allowed. */
  public static final class InvalidRule extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    public final String name;
    public final String spec;

    InvalidRule(String name, String spec, @Nullable String allowed) {

      super(allowed);
      this.name = name;
      this.spec = spec;
    }
  }
}
