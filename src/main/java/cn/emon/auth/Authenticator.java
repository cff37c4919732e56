package cn.emon.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Resolves a bearer token to its principal. The presented token is hashed and compared with every
 * configured hash in constant time, so neither timing nor logs reveal a token.
 */
public final class Authenticator {

  private final AuthSettings settings;
  private final RateLimiter rateLimiter;

  public Authenticator(AuthSettings settings) {
    this.settings = settings;
    this.rateLimiter = new RateLimiter(settings.ratePerSecond(), settings.burst());
  }

  /** The per-token request limiter. */
  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** The principal for an {@code Authorization} header value, or empty when missing or unknown. */
  public Optional<Principal> authenticate(Optional<String> authorization) {
    if (authorization.isEmpty()) {
      return Optional.empty();
    }
    String value = authorization.get().trim();
    if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    byte[] presented = sha256(value.substring(7).trim());
    AuthSettings.TokenEntry match = null;
    for (AuthSettings.TokenEntry t : settings.tokens()) {
      if (MessageDigest.isEqual(presented, t.sha256()) && match == null) {
        match = t;
      }
    }
    return match == null ? Optional.empty()
        : Optional.of(new Principal(match.name(), match.role(), match.regions()));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
