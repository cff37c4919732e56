package cn.emon.alerting;

import java.util.Map;

/** Everything the rules look at for one household. Maps are keyed by member and placement id. */
public record HouseholdFacts(
    String householdId,
    String regionCode,
    boolean deepPovertyArea,
    boolean closed,
    boolean helperAssigned,
    Map<String, Member> members,
    Map<String, Placement> placements) {}
