package dev.tollgate.agent.attribution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of one metered call (name → value: tenant, feature…), computed once when the call
 * starts, before its reservation, and carried on every record it produces. Immutable; names are
 * {@code [a-z0-9_-]{1,32}}, values at most {@value #MAX_VALUE_LENGTH} characters without control
 * characters (see {@link #clip}).
 */
public final class Attributes {
  /** A value longer than this is clipped. */
  public static final int MAX_VALUE_LENGTH = 128;
  public static final int MAX_NAME_LENGTH = 32;
  public static final Attributes EMPTY = new Attributes(Map.of());

  private final Map<String, String> map;

  private Attributes(Map<String, String> map) {
    this.map = map;
  }

  /** The attributes in {@code map}, which must hold valid names and clipped values; copied. */
  public static Attributes of(Map<String, String> map) {
    return map.isEmpty() ? EMPTY : new Attributes(Collections.unmodifiableMap(new LinkedHashMap<>(map)));
  }

  /** The attributes in {@code map}, which the caller hands over and never touches again: not copied. */
  static Attributes owning(Map<String, String> map) {
    return map.isEmpty() ? EMPTY : new Attributes(Collections.unmodifiableMap(map));
  }

  /** Name → value, in the order the names were configured; unmodifiable. */
  public Map<String, String> asMap() {
    return map;
  }

  /** The value of {@code name}, or null. */
  public @Nullable String get(String name) {
    return map.get(name);
  }

  public boolean isEmpty() {
    return map.isEmpty();
  }

  /** Whether {@code name} is a valid attribute name: {@code [a-z0-9_-]{1,32}}. */
  public static boolean isValidName(@Nullable String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code value} without control characters, clipped to {@value #MAX_VALUE_LENGTH} characters
   * (never between the two halves of a surrogate pair); null when nothing is left.
   */
  public static @Nullable String clip(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String v = value;
    if (hasControl(v)) {
      StringBuilder sb = new StringBuilder(Math.min(v.length(), MAX_VALUE_LENGTH + 1));
      for (int i = 0; i < v.length() && sb.length() <= MAX_VALUE_LENGTH; i++) {
        char c = v.charAt(i);
        if (!Character.isISOControl(c)) {
          sb.append(c);
        }
      }
      v = sb.toString();
    }
    if (v.length() > MAX_VALUE_LENGTH) {
      int end = Character.isHighSurrogate(v.charAt(MAX_VALUE_LENGTH - 1)) ? MAX_VALUE_LENGTH - 1 : MAX_VALUE_LENGTH;
      v = v.substring(0, end);
    }
    return v.isEmpty() ? null : v;
  }

  private static boolean hasControl(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (Character.isISOControl(v.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Attributes && ((Attributes) o).map.equals(map);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(map);
  }

  @Override
  public String toString() {
    return map.toString();
  }
}
