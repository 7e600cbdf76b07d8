package dev.tollgate.agent.usage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON pointers (RFC 6901) of the request body values attribution reads ({@code
 * body:/metadata/tenant_id}): picked out by the one scan of the body that the pre-flight makes
 * anyway, never by a second parse. A pointer names object members only; at most {@value #MAX}.
 */
public final class BodyPointers {
  /** The scan tracks which pointers match with one bit each. */
  public static final int MAX = 64;
  public static final BodyPointers NONE = new BodyPointers(List.of());

  final String[] pointers;
  /** The members of each pointer, UTF-8: {@code segments[p][d]} is the key at depth {@code d + 1}. */
  final byte[][][] segments;
  final String[][] names;
  /** The pointers that have a member at depth {@code d + 1}, by bit. */
  final long[] deeperThan;
  final long[] endingAt;

  private BodyPointers(List<String> pointers) {
    int n = pointers.size();
    this.pointers = pointers.toArray(new String[0]);
    segments = new byte[n][][];
    names = new String[n][];
    int maxDepth = 0;
    for (int p = 0; p < n; p++) {
      names[p] = split(this.pointers[p]);
      segments[p] = new byte[names[p].length][];
      for (int d = 0; d < names[p].length; d++) {
        segments[p][d] = names[p][d].getBytes(StandardCharsets.UTF_8);
      }
      maxDepth = Math.max(maxDepth, names[p].length);
    }
    deeperThan = new long[maxDepth + 1];
    endingAt = new long[maxDepth + 1];
    for (int p = 0; p < n; p++) {
      endingAt[names[p].length] |= 1L << p;
      for (int d = 0; d < names[p].length; d++) {
        deeperThan[d] |= 1L << p;
      }
    }
  }

  /**
   * The pointers, each validated.
   *
   * @throws IllegalArgumentException naming the pointer that is not one, or when there are too many
   */
  public static BodyPointers of(List<String> pointers) {
    if (pointers.isEmpty()) {
      return NONE;
    }
    if (pointers.size() > MAX) {
      throw new IllegalArgumentException("at most " + MAX + " body pointers");
    }
    for (String p : pointers) {
      split(p);
    }
    return new BodyPointers(List.copyOf(pointers));
  }

  /** The members {@code pointer} names, unescaped ({@code ~1} is {@code /}, {@code ~0} is {@code ~}). */
  static String[] split(String pointer) {
    if (!pointer.startsWith("/") || pointer.length() == 1) {
      throw new IllegalArgumentException("\"" + pointer + "\" is not a JSON pointer to a member, e.g. /user or /metadata/tenant_id");
    }
    String[] parts = pointer.substring(1).split("/", -1);
    if (parts.length > 32) {
      throw new IllegalArgumentException("\"" + pointer + "\" is deeper than 32 members");
    }
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].replace("~0", "").replace("~1", "").indexOf('~') >= 0) {
        throw new IllegalArgumentException("\"" + pointer + "\" has a ~ that is neither ~0 nor ~1");
      }
      parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
    }
    return parts;
  }

  public int size() {
    return pointers.length;
  }

  public boolean isEmpty() {
    return pointers.length == 0;
  }

  /** The pointer at {@code index}, as configured. */
  public String get(int index) {
    return pointers[index];
  }

  /** The pointers as given. */
  public List<String> asList() {
    List<String> l = new ArrayList<>(pointers.length);
    for (String p : pointers) {
      l.add(p);
    }
    return l;
  }
}
