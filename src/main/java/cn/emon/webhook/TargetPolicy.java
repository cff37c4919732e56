package cn.emon.webhook;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Which webhook targets the server may reach: a guard against server-side request forgery. A host
 * is resolved and refused when ANY of its addresses is loopback, unspecified, link-local (which
 * holds the 169.254.169.254 cloud metadata service), private (RFC 1918, RFC 4193, shared
 * 100.64.0.0/10 where Alibaba Cloud's metadata lives), multicast or reserved — also when written
 * as IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 — unless the host name or every such address
 * is on the allow-list ({@code emon.webhooks.allow-targets}).
 *
 * <p>Numeric hosts other than a plain dotted quad ({@code 2130706433}, {@code 0x7f000001},
 * {@code 0177.0.0.1}, {@code 127.1}) are refused outright: resolvers disagree on what they mean
 * (the JDK reads {@code 2130706433} as 127.0.0.1 but cannot resolve {@code 0x7f000001}, and reads
 * {@code 0177.0.0.1} as 177.0.0.1 where inet_aton reads 127.0.0.1).
 *
 * <p>The same check runs when the URL is registered and inside the HTTP client's connection
 * set-up ({@link #resolve}), so the address connected to is the address checked (no DNS
 * rebinding between check and use).
 */
public final class TargetPolicy {

  /** A target the policy refuses; the message names the reason, never the caller's value. */
  public static final class RefusedTarget extends RuntimeException {
    RefusedTarget(String reason) {
      super(reason, null, false, false);
    }
  }

  /** An IP range {@code address/prefix}. */
  record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      String[] parts = text.split("/", 2);
      byte[] address = literal(parts[0]).orElseThrow(() ->
          new IllegalArgumentException("emon.webhooks.allow-targets: not a CIDR range or host name: " + text));
      int max = address.length * 8;
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : max;
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("emon.webhooks.allow-targets: bad prefix length in " + text);
      }
      return new Cidr(address, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** What inet_aton(3) reads as an IPv4 address: 1-4 parts, each decimal, octal (0…) or hex (0x…). */
  private static final Pattern NUMERIC_HOST =
      Pattern.compile("(0[xX][0-9a-fA-F]*|[0-9]+)(\\.(0[xX][0-9a-fA-F]*|[0-9]+)){0,3}");
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
  private static final Pattern IPV6_LITERAL = Pattern.compile("(?i)[0-9a-f:.]+(%[0-9a-z._-]+)?");

  private final List<Cidr> allowedRanges = new ArrayList<>();
  private final Set<String> allowedHosts = new TreeSet<>();

  public TargetPolicy(List<String> allowTargets) {
    for (String entry : allowTargets) {
      String e = entry.trim();
      if (e.contains("/") || literal(e).isPresent()) {
        allowedRanges.add(Cidr.parse(e));
      } else if (!e.isEmpty()) {
        allowedHosts.add(normalizedHost(e));
      }
    }
  }

  /**
   * Checks a URL as given at registration: {@code IllegalArgumentException} when it is not an
   * absolute http(s) URL (the caller's 400), {@link RefusedTarget} when its host may not be
   * reached (422). Blocking: it resolves the host.
   */
  public URI check(String url) {
    URI uri = parse(url);
    if (uri.getHost() == null) {
      // java.net.URI leaves forms such as 127.1 or 0x7F.0.0.1 without a host; HTTP clients
      // still reach them, so they are checked (and refused) like any numeric host.
      resolveChecked(uri.getRawAuthority().replaceFirst(":[0-9]*$", ""));
      throw new IllegalArgumentException("url: the host is not a valid host name");
    }
    resolveChecked(uri.getHost());
    return uri;
  }

  /** The URL parsed and checked for form only: absolute, http or https, a host, no user info. */
  public static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url: not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("url: must be an absolute http or https URL");
    }
    if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
      throw new IllegalArgumentException("url: needs a host name or address");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("url: user info (user:password@) is not supported");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("url: must not have a fragment");
    }
    return uri;
  }

  /**
   * Resolves {@code host} for the HTTP client on {@code executor} (DNS blocks) and completes with
   * the first address when every address is allowed, or fails with {@link RefusedTarget}.
   */
  public CompletionStage<InetSocketAddress> resolve(String host, int port, Executor executor) {
    return CompletableFuture.supplyAsync(() -> new InetSocketAddress(resolveChecked(host).get(0), port), executor);
  }

  /** Every address of {@code host}, each allowed; {@link RefusedTarget} otherwise. */
  List<InetAddress> resolveChecked(String rawHost) {
    String host = normalizedHost(rawHost);
    if (allowedHosts.contains(host)) {
      return resolveAll(host);
    }
    if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
      throw new RefusedTarget("url: the host is an IPv4 address in decimal, octal, hex or shortened form;"
          + " write it as a dotted quad");
    }
    List<InetAddress> addresses = resolveAll(host);
    for (InetAddress address : addresses) {
      Optional<String> blocked = blockedBecause(address.getAddress());
      if (blocked.isPresent() && !allowedRange(address.getAddress())) {
        throw new RefusedTarget("url: the host resolves to " + blocked.get()
            + " address; list it in emon.webhooks.allow-targets to allow it");
      }
    }
    return addresses;
  }

  private static List<InetAddress> resolveAll(String host) {
    try {
      List<InetAddress> all = Arrays.asList(InetAddress.getAllByName(host));
      if (all.isEmpty()) {
        throw new RefusedTarget("url: the host does not resolve");
      }
      return all;
    } catch (UnknownHostException e) {
      throw new RefusedTarget("url: the host does not resolve");
    }
  }

  private boolean allowedRange(byte[] address) {
    for (Cidr range : allowedRanges) {
      if (range.contains(address)) {
        return true;
      }
    }
    Optional<byte[]> embedded = embeddedIpv4(address);
    return embedded.isPresent() && allowedRange(embedded.get());
  }

  /** Why an address must not be reached by default, or empty when it is a public address. */
  static Optional<String> blockedBecause(byte[] a) {
    if (a.length == 4) {
      int b0 = a[0] & 0xff;
      int b1 = a[1] & 0xff;
      if (b0 == 0) {
        return Optional.of("an unspecified (0.0.0.0/8)");
      } else if (b0 == 127) {
        return Optional.of("a loopback");
      } else if (b0 == 169 && b1 == 254) {
        return Optional.of("a link-local or cloud-metadata");
      } else if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
        return Optional.of("a private (RFC 1918)");
      } else if (b0 == 100 && (b1 & 0xc0) == 64) {
        return Optional.of("a shared (100.64.0.0/10) or cloud-metadata");
      } else if (b0 == 192 && b1 == 0 && (a[2] & 0xff) == 0) {
        return Optional.of("a reserved (192.0.0.0/24)");
      } else if ((b0 & 0xf0) == 224) {
        return Optional.of("a multicast");
      } else if ((b0 & 0xf0) == 240) {
        return Optional.of("a reserved or broadcast");
      }
      return Optional.empty();
    }
    Optional<byte[]> embedded = embeddedIpv4(a);
    if (embedded.isPresent()) {
      boolean compatible = isZero(a, 0, 12);
      int low = ((a[12] & 0xff) << 24) | ((a[13] & 0xff) << 16) | ((a[14] & 0xff) << 8) | (a[15] & 0xff);
      if (compatible && low == 0) {
        return Optional.of("an unspecified (::)");
      } else if (compatible && low == 1) {
        return Optional.of("a loopback");
      }
      return blockedBecause(embedded.get());
    }
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    if ((b0 & 0xfe) == 0xfc) {
      return Optional.of("a unique-local (RFC 4193)");
    } else if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return Optional.of("a link-local");
    } else if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return Optional.of("a site-local");
    } else if (b0 == 0xff) {
      return Optional.of("a multicast");
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address inside an IPv6 one that carries it: IPv4-mapped (::ffff:0:0/96),
   * IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
   */
  static Optional<byte[]> embeddedIpv4(byte[] a) {
    if (a.length != 16) {
      return Optional.empty();
    }
    boolean mapped = isZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    boolean compatible = isZero(a, 0, 12);
    boolean nat64 = (a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff
        && (a[3] & 0xff) == 0x9b && isZero(a, 4, 12);
    if (mapped || compatible || nat64) {
      return Optional.of(Arrays.copyOfRange(a, 12, 16));
    }
    if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
      return Optional.of(Arrays.copyOfRange(a, 2, 6));
    }
    return Optional.empty();
  }

  private static boolean isZero(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of an IP literal (dotted quad or IPv6, brackets allowed), without any lookup. */
  static Optional<byte[]> literal(String text) {
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean v4 = DOTTED_QUAD.matcher(t).matches();
    boolean v6 = t.contains(":") && IPV6_LITERAL.matcher(t).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static String normalizedHost(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }
}
