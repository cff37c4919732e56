package cn.emon.http;

import cn.emon.ErrorCode;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Directives the feature routes share: bearer-token authentication and role checks. */
public abstract class ApiDirectives extends AllDirectives {

  private final Authenticator authenticator;

  protected ApiDirectives(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * Runs {@code inner} for a caller with a known token within its rate; 401 for a missing or
   * unknown token, 429 with Retry-After when the token's rate is used up.
   */
  protected Route authenticated(Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header ->
        authenticator.authenticate(header).map(principal -> {
          java.util.OptionalLong wait = authenticator.rateLimiter().acquire(principal.name());
          if (wait.isPresent()) {
            return complete(Problems.response(429, ErrorCode.RATE_LIMITED, "Too Many Requests",
                "rate: this token's request rate is used up, retry later",
                List.of(HttpHeader.parse("Retry-After", Long.toString(Math.max(1, wait.getAsLong()))))));
          }
          return inner.apply(principal);
        }).orElseGet(() -> complete(Problems.response(
            401, ErrorCode.TOKEN_MISSING, "Unauthorized", "Authorization: a valid bearer token is required",
            List.of(HttpHeader.parse("WWW-Authenticate", "Bearer realm=\"emon\""))))));
  }

  /** Runs {@code inner} when the caller's role allows it; 403 otherwise. */
  protected Route authorized(Predicate<Principal> allowed, String what, Function<Principal, Route> inner) {
    return authenticated(p -> allowed.test(p) ? inner.apply(p)
        : complete(Problems.response(403, ErrorCode.ROLE_FORBIDDEN, "Forbidden", "token role may not " + what, List.of())));
  }
}
