package cn.emon.auth;

import java.util.List;

/**
 * The caller behind a valid token: its configured name (never the token), role and region
 * prefixes (empty = all regions).
 */
public record Principal(String name, Role role, List<String> regions) {

  public boolean mayIngest() {
    return role == Role.INGEST || role == Role.ADMIN;
  }

  public boolean mayRead() {
    return role == Role.READ || role == Role.ADMIN;
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** The region prefixes that bind this caller; admins are bound by none. */
  public List<String> scope() {
    return role == Role.ADMIN ? List.of() : regions;
  }

  public boolean mayTouch(String regionCode) {
    List<String> scope = scope();
    return scope.isEmpty() || (regionCode != null && scope.stream().anyMatch(regionCode::startsWith));
  }
}
