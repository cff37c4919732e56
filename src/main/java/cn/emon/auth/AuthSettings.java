package cn.emon.auth;

import com.typesafe.config.Config;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The configured tokens ({@code emon.auth.tokens}), each held only as its SHA-256, and the
 * per-token request rate ({@code emon.auth.rate-limit}).
 */
public record AuthSettings(List<TokenEntry> tokens, double ratePerSecond, double burst) {

  /** SHA-256 of the documented development tokens, refused on a non-loopback bind. */
  public static final Set<String> DEVELOPMENT_TOKEN_HASHES = Set.of(
      "250137701da9b842b4ebb0ac1646d2fa798ddc50df0e54c2a29ae9cc249cadff",
      "55b31cd43866d183d7644f99242beb0f8ca0847597c3e6eb4b5788ef4844aeaf",
      "1734d503f6aa6a047c36d113cbad769f719c93784b469b771c4c3e7c63adbefd");

  /** One configured token. */
  public record TokenEntry(String name, byte[] sha256, Role role, List<String> regions) {}

  public static AuthSettings from(Config auth) {
    List<TokenEntry> tokens = auth.getConfigList("tokens").stream().map(t -> {
      String name = t.getString("name");
      String hex = t.getString("sha256").trim().toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("emon.auth.tokens: sha256 of token '" + name
            + "' must be 64 hex digits");
      }
      Role role = Role.valueOf(t.getString("role").toUpperCase(Locale.ROOT));
      List<String> regions = t.hasPath("regions") ? List.copyOf(t.getStringList("regions")) : List.of();
      for (String r : regions) {
        if (!r.matches("[0-9]{1,12}")) {
          throw new IllegalArgumentException("emon.auth.tokens: regions of token '" + name
              + "' must be digit prefixes");
        }
      }
      return new TokenEntry(name, HexFormat.of().parseHex(hex), role, regions);
    }).toList();
    return new AuthSettings(tokens, auth.getDouble("rate-limit.per-second"), auth.getDouble("rate-limit.burst"));
  }

  public boolean hasDevelopmentTokens() {
    return tokens.stream().anyMatch(t -> DEVELOPMENT_TOKEN_HASHES.contains(HexFormat.of().formatHex(t.sha256())));
  }
}
