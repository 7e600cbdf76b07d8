package dev.tollgate.agent.endpoint;

import java.util.List;

/**
 * A metered API base: a URL prefix, the provider's name and its wire format. The prefix's host may
 * hold one {@code *} to match a family of hosts, e.g. {@code https://*.openai.azure.com/openai}
 * (any Azure OpenAI resource), {@code https://*-aiplatform.googleapis.com} (any Vertex AI region) or
 * {@code https://bedrock-mantle.*.api.aws/v1} (any Bedrock region): the star stands for one or more
 * letters, digits, dots or dashes.
 */
public final class Endpoint {
  private final String provider;
  private final String prefix;
  private final Format format;
  private final List<Operation> operations;
  /** The prefix's host without its port; null when it has no scheme (then every host may match). */
  private final /* @Nullable */ String host;
  /** For a wildcard host: the scheme, the host's fixed head and tail and the base path; else null. */
  private final /* @Nullable */ String scheme;
  private final /* @Nullable */ String hostHead;
  private final /* @Nullable */ String hostTail;
  private final /* @Nullable */ String basePath;
  /** The port its connections go to: the prefix's own, else its scheme's; -1 without a scheme. */
  private final int port;
  /**
   * {@link System#nanoTime} when a hooked client last started a metered call here; a plain field, read
   * only when a connection opens (a stale read only widens or narrows a heuristic's window).
   */
  private long lastCallNanos = Long.MIN_VALUE;

  Endpoint(String provider, String prefix, Format format) {
    this.provider = provider;
    this.prefix = EndpointCatalog.withoutDefaultPort(stripTrailingSlash(prefix));
    this.format = format;
    this.operations = format.operations(this);
    int hostStart = this.prefix.indexOf("://") + 3;
    int hostEnd = hostStart < 3 ? -1 : this.prefix.indexOf('/', hostStart);
    hostEnd = hostEnd < 0 ? this.prefix.length() : hostEnd;
    int star = hostStart < 3 ? -1 : this.prefix.indexOf('*', hostStart);
    if (star < 0 || star >= hostEnd) {
      scheme = hostHead = hostTail = basePath = null;
    } else {
      scheme = this.prefix.substring(0, hostStart);
      hostHead = this.prefix.substring(hostStart, star);
      hostTail = this.prefix.substring(star + 1, hostEnd);
      basePath = this.prefix.substring(hostEnd);
    }
    host = hostOf(this.prefix);
    port = portOf(this.prefix);
  }

  /** The port of a {@code scheme://host[:port][/path]} prefix, else its scheme's default; -1 without a scheme. */
  private static int portOf(String prefix) {
    int scheme = prefix.indexOf("://");
    if (scheme < 0) {
      return -1;
    }
    int end = prefix.indexOf('/', scheme + 3);
    String authority = prefix.substring(scheme + 3, end < 0 ? prefix.length() : end);
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      try {
        return Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return prefix.startsWith("https") ? 443 : 80;
  }

  /** Whether a connection to {@code host:port} (the host as a client names it, without brackets or port) reaches this endpoint. */
  boolean servesAddress(String host, int port) {
    return (this.port < 0 || this.port == port) && mayMatchHost(host);
  }

  /** A hooked client starts a metered call here now ({@code nanos} from {@link System#nanoTime}). */
  public void called(long nanos) {
    lastCallNanos = nanos;
  }

  /** Whether a hooked client started a metered call here within {@code windowNanos} before {@code nanos}. */
  public boolean calledWithin(long nanos, long windowNanos) {
    long last = lastCallNanos;
    return last != Long.MIN_VALUE && nanos - last <= windowNanos;
  }

  /** The host of a {@code scheme://host[:port][/path]} prefix, IPv6 literals in brackets; null without a scheme. */
  private static /* @Nullable */ String hostOf(String prefix) {
    int scheme = prefix.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    int end = prefix.indexOf('/', scheme + 3);
    String authority = prefix.substring(scheme + 3, end < 0 ? prefix.length() : end);
    int port = authority.lastIndexOf(':');
    return port > authority.lastIndexOf(']') ? authority.substring(0, port) : authority;
  }

  public String provider() {
    return provider;
  }

  /** Scheme, host (possibly starting with {@code *}), optional port and base path, without a trailing slash. */
  public String prefix() {
    return prefix;
  }

  public Format format() {
    return format;
  }

  /** Its format's model operations, in the order a path is matched against them. */
  public List<Operation> operations() {
    return operations;
  }

  /**
   * The operation {@code url} calls on this endpoint, or null when it is not under the prefix or is
   * another path on the same host (a models or credits listing, a token count).
   */
  /* @Nullable */ Operation match(String url) {
    int n = baseEnd(url);
    if (n < 0) {
      return null;
    }
    int query = url.indexOf('?', n);
    int pathEnd = query < 0 ? url.length() : query;
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      if (op.matches(url, n, pathEnd)) {
        return op;
      }
    }
    return null;
  }

  /**
   * Whether a URL on {@code host} (as the URL spells it, without a port) can be under this endpoint:
   * a necessary condition for {@link #match}, checked before a client builds the URL's string.
   * Allocates nothing.
   */
  boolean mayMatchHost(String host) {
    if (hostTail == null) {
      return this.host == null || host.equals(this.host) || isBareIpv6(host);
    }
    int wild = host.length() - hostTail.length();
    if (wild <= hostHead.length() || !host.startsWith(hostTail, wild) || !host.startsWith(hostHead)) {
      return false;
    }
    for (int i = hostHead.length(); i < wild; i++) {
      if (!isHostChar(host.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code host} is this endpoint's IPv6 literal without brackets, as some clients report it. */
  private boolean isBareIpv6(String host) {
    return this.host.length() == host.length() + 2 && this.host.charAt(0) == '[' && this.host.startsWith(host, 1);
  }

  /** Where the prefix ends in {@code url}, at a path boundary; -1 when {@code url} is not under it. */
  private int baseEnd(String url) {
    int n;
    if (hostTail == null) {
      n = url.startsWith(prefix) ? prefix.length() : -1;
    } else {
      int hostEnd = wildcardHostEnd(url);
      n = hostEnd >= 0 && url.startsWith(basePath, hostEnd) ? hostEnd + basePath.length() : -1;
    }
    return n >= 0 && (url.length() == n || url.charAt(n) == '/' || url.charAt(n) == '?') ? n : -1;
  }

  /** The end of a host that matches {@code *hostTail}, or -1. Allocates nothing. */
  private int wildcardHostEnd(String url) {
    if (!url.startsWith(scheme) || !url.startsWith(hostHead, scheme.length())) {
      return -1;
    }
    int start = scheme.length() + hostHead.length();
    int end = start;
    while (end < url.length() && isHostChar(url.charAt(end))) {
      end++;
    }
    int wild = end - hostTail.length();
    return wild > start && url.startsWith(hostTail, wild) ? end : -1;
  }

  private static boolean isHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || (c >= 'A' && c <= 'Z');
  }

  /** The model a URL names in its path, for requests whose body does not: see {@link Format#modelInPath}. */
  public /* @Nullable */ String modelInPath(String url) {
    return format.modelInPath(url);
  }

  /** The text between the first {@code marker} in {@code url} and the next {@code end}, or null. */
  public static /* @Nullable */ String segmentAfter(String url, String marker, char end) {
    int m = url.indexOf(marker);
    if (m < 0) {
      return null;
    }
    int from = m + marker.length();
    int to = url.indexOf(end, from);
    return to <= from ? null : url.substring(from, to);
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public String toString() {
    return provider + '(' + format.wireName() + ")=" + prefix;
  }
}
