package cn.emon.household;

import cn.emon.CborSerializable;
import cn.emon.ErrorCode;
import cn.emon.household.Household.Rejection;
import cn.emon.alerting.HouseholdFacts;
import cn.emon.alerting.Member;
import cn.emon.alerting.Placement;
import cn.emon.alerting.WorkScope;
import cn.emon.household.Household.DomainEvent;
import cn.emon.household.Household.HelperAssigned;
import cn.emon.household.Household.HouseholdClosed;
import cn.emon.household.Household.HouseholdRegistered;
import cn.emon.household.Household.MemberRemoved;
import cn.emon.household.Household.MemberSpec;
import cn.emon.household.Household.MemberUpdated;
import cn.emon.household.Household.PlacementEnded;
import cn.emon.household.Household.PlacementStarted;
import cn.emon.household.Household.PlacementVerified;
import cn.emon.household.Household.TrainingCompleted;
import cn.emon.household.Household.TrainingEnrolled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The immutable state of one household. Transitions return a new state. Facts that integrators
 * may report out of order (region, membership, helper, closure) follow the event times: a report
 * older than the one it contradicts is recorded but does not win.
 *
 * @param regionCode null until registered
 * @param removedMembers member id → event time of its removal
 * @param openAlerts alerts open or acknowledged, oldest first
 * @param recentlyResolved the last few resolved alerts, so an acknowledgement of one answers with it
 * @param alertCount alerts ever raised; the next alert id uses {@code alertCount + 1}
 * @param scheduledDue the due time last handed to the deadline index
 * @param summary what the statistics last counted of this household (null before the first)
 */
public record HouseholdState(
    String householdId,
    String regionCode,
    boolean deepPovertyArea,
    Instant registeredAt,
    boolean closed,
    Instant closedAt,
    String helperId,
    String helperName,
    Instant helperAt,
    Map<String, Member> members,
    Map<String, Instant> removedMembers,
    Map<String, Placement> placements,
    List<Training> trainings,
    List<Alert> openAlerts,
    List<Alert> recentlyResolved,
    long alertCount,
    Instant scheduledDue,
    RecentIds recentIds,
    HouseholdSummary summary) implements CborSerializable {

  private static final int RESOLVED_KEPT = 20;

  public static HouseholdState empty(String householdId) {
    return new HouseholdState(householdId, null, false, null, false, null, null, null, null,
        Map.of(), Map.of(), Map.of(), List.of(), List.of(), List.of(), 0, null, RecentIds.empty(), null);
  }

  public boolean isRegistered() {
    return regionCode != null;
  }

  /** What the alert rules look at. */
  public HouseholdFacts facts() {
    return new HouseholdFacts(householdId, regionCode, deepPovertyArea, closed, helperId != null,
        members, placements);
  }

  public Optional<Alert> findAlert(String alertId) {
    for (Alert a : openAlerts) {
      if (a.alertId().equals(alertId)) {
        return Optional.of(a);
      }
    }
    for (Alert a : recentlyResolved) {
      if (a.alertId().equals(alertId)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** A reason the caller may not post this event, or empty. An empty scope allows every region. */
  Optional<Rejection> outsideScope(DomainEvent event, List<String> scope) {
    if (scope.isEmpty()) {
      return Optional.empty();
    }
    if (regionCode != null && !inScope(regionCode, scope)) {
      return reject(ErrorCode.REGION_FORBIDDEN, "subject: household is outside the token's regions");
    }
    if (event instanceof HouseholdRegistered r && !inScope(r.regionCode(), scope)) {
      return reject(ErrorCode.REGION_FORBIDDEN, "data.regionCode: outside the token's regions");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> reject(ErrorCode code, String error) {
    return Optional.of(new Rejection(code, error));
  }

  static boolean inScope(String region, List<String> scope) {
    return scope.isEmpty() || scope.stream().anyMatch(region::startsWith);
  }

  /** Why this event cannot be applied to this state, naming the field, or empty. */
  Optional<Rejection> problemWith(DomainEvent event) {
    if (event instanceof HouseholdRegistered) {
      return Optional.empty();
    }
    if (!isRegistered()) {
      return reject(ErrorCode.HOUSEHOLD_UNKNOWN, "subject: household is not registered");
    }
    if (event instanceof MemberUpdated e) {
      if (!members.containsKey(e.memberId()) && e.laborCapacity() == null) {
        return reject(ErrorCode.FIELD_MISSING, "data.laborCapacity: required when adding a member");
      }
    } else if (event instanceof MemberRemoved e) {
      return knownMember(e.memberId());
    } else if (event instanceof PlacementStarted e) {
      Placement existing = placements.get(e.placementId());
      if (existing != null && !existing.memberId().equals(e.memberId())) {
        return reject(ErrorCode.FIELD_INVALID, "data.placementId: belongs to another member");
      }
      return knownMember(e.memberId());
    } else if (event instanceof PlacementVerified e) {
      return knownPlacement(e.placementId());
    } else if (event instanceof PlacementEnded e) {
      return knownPlacement(e.placementId());
    } else if (event instanceof TrainingEnrolled e) {
      return knownMember(e.memberId());
    } else if (event instanceof TrainingCompleted e) {
      return knownMember(e.memberId());
    }
    return Optional.empty();
  }

  private Optional<Rejection> knownMember(String memberId) {
    return members.containsKey(memberId) ? Optional.empty()
        : reject(ErrorCode.FIELD_INVALID, "data.memberId: unknown member of this household");
  }

  private Optional<Rejection> knownPlacement(String placementId) {
    return placements.containsKey(placementId) ? Optional.empty()
        : reject(ErrorCode.FIELD_INVALID, "data.placementId: unknown placement of this household");
  }

  // ------------------------------------------------------------------------------ transitions

  /** Applies an integrator event and remembers its idempotency key. */
  HouseholdState apply(DomainEvent event, int dedupeWindow) {
    HouseholdState s = withRecentIds(recentIds.add(event.meta().dedupeKey(), dedupeWindow));
    Instant at = event.meta().time();
    if (event instanceof HouseholdRegistered e) {
      return s.registered(e, at);
    } else if (event instanceof MemberUpdated e) {
      return s.memberChanged(e.memberId(), e.laborCapacity(), e.wantsTraining(), at);
    } else if (event instanceof MemberRemoved e) {
      return s.memberRemoved(e.memberId(), at);
    } else if (event instanceof PlacementStarted e) {
      return s.placementStarted(e);
    } else if (event instanceof PlacementVerified e) {
      return s.withPlacement(placements.get(e.placementId()).verifiedOn(e.verifiedOn()));
    } else if (event instanceof PlacementEnded e) {
      return s.withPlacement(placements.get(e.placementId()).endedOn(e.endDate(), e.reason()));
    } else if (event instanceof TrainingEnrolled e) {
      return s.trainingEnrolled(e);
    } else if (event instanceof TrainingCompleted e) {
      return s.trainingCompleted(e);
    } else if (event instanceof HelperAssigned e) {
      if (helperAt != null && at.isBefore(helperAt)) {
        return s;
      }
      return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed,
          closedAt, e.helperId(), e.helperName(), at, members, removedMembers, placements, trainings,
          openAlerts, recentlyResolved, alertCount, scheduledDue, s.recentIds, s.summary);
    } else if (event instanceof HouseholdClosed) {
      if (registeredAt != null && at.isBefore(registeredAt)) {
        return s;
      }
      return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, true, at,
          helperId, helperName, helperAt, members, removedMembers, placements, trainings,
          openAlerts, recentlyResolved, alertCount, scheduledDue, s.recentIds, s.summary);
    }
    throw new IllegalArgumentException("unhandled event " + event.getClass().getSimpleName());
  }

  private HouseholdState registered(HouseholdRegistered e, Instant at) {
    boolean newer = registeredAt == null || !at.isBefore(registeredAt);
    String region = newer ? e.regionCode() : regionCode;
    boolean deep = newer ? e.deepPovertyArea() : deepPovertyArea;
    boolean reopened = closed && closedAt != null && at.isAfter(closedAt);
    HouseholdState s = new HouseholdState(householdId, region, deep,
        newer ? at : registeredAt, closed && !reopened, reopened ? null : closedAt, helperId,
        helperName, helperAt, members, removedMembers, rescoped(region), trainings, openAlerts,
        recentlyResolved, alertCount, scheduledDue, recentIds, summary);
    for (MemberSpec m : e.members()) {
      s = s.memberChanged(m.memberId(), m.laborCapacity(), m.wantsTraining(), at);
    }
    return s;
  }

  private Map<String, Placement> rescoped(String region) {
    if (region.equals(regionCode)) {
      return placements;
    }
    TreeMap<String, Placement> next = new TreeMap<>();
    placements.forEach((id, p) -> next.put(id, p.withWorkScope(WorkScope.of(region, p.workRegionCode()))));
    return Collections.unmodifiableMap(next);
  }

  private HouseholdState memberChanged(String memberId, cn.emon.alerting.LaborCapacity capacity,
      Boolean wantsTraining, Instant at) {
    Member existing = members.get(memberId);
    Member next;
    if (existing != null) {
      next = existing.updated(capacity, wantsTraining, at);
    } else {
      Instant removedAt = removedMembers.get(memberId);
      if ((removedAt != null && at.isBefore(removedAt)) || capacity == null) {
        return this; // an update older than the member's removal does not bring it back
      }
      next = Member.of(memberId, capacity, Boolean.TRUE.equals(wantsTraining), at);
    }
    return withMembers(with(members, memberId, next), removedMembers);
  }

  private HouseholdState memberRemoved(String memberId, Instant at) {
    Member existing = members.get(memberId);
    Map<String, Instant> removed = with(removedMembers, memberId, at);
    if (existing != null && at.isBefore(existing.updatedAt())) {
      return withMembers(members, removed); // a later update keeps the member
    }
    TreeMap<String, Member> next = new TreeMap<>(members);
    next.remove(memberId);
    return withMembers(Collections.unmodifiableMap(next), removed);
  }

  private HouseholdState placementStarted(PlacementStarted e) {
    Placement existing = placements.get(e.placementId());
    Placement p = new Placement(e.placementId(), e.memberId(), e.channel(), e.employer(),
        e.workRegionCode(), WorkScope.of(regionCode, e.workRegionCode()), e.startDate(),
        e.expectedEndDate(), e.monthlyIncomeYuan(),
        existing == null ? null : existing.lastVerifiedOn(),
        existing == null ? null : existing.endDate(),
        existing == null ? null : existing.endReason());
    return withPlacement(p);
  }

  private HouseholdState trainingEnrolled(TrainingEnrolled e) {
    HouseholdState s = withTraining(e.memberId(), e.programId(), t ->
        new Training(e.memberId(), e.programId(), e.startDate(), t == null ? null : t.endDate(),
            t == null ? null : t.certified()));
    return s.withMembers(with(members, e.memberId(), members.get(e.memberId()).enrolledOn(e.startDate())),
        removedMembers);
  }

  private HouseholdState trainingCompleted(TrainingCompleted e) {
    HouseholdState s = withTraining(e.memberId(), e.programId(), t ->
        new Training(e.memberId(), e.programId(), t == null ? null : t.startDate(), e.endDate(),
            e.certified()));
    Member m = members.get(e.memberId());
    // A completion without a known enrolment is evidence of training all the same.
    Member next = m.lastEnrolledOn() == null ? m.enrolledOn(e.endDate()) : m;
    return s.withMembers(with(members, e.memberId(), next), removedMembers);
  }

  private HouseholdState withTraining(String memberId, String programId,
      java.util.function.UnaryOperator<Training> change) {
    List<Training> next = new ArrayList<>(trainings.size() + 1);
    boolean found = false;
    for (Training t : trainings) {
      if (t.memberId().equals(memberId) && t.programId().equals(programId)) {
        next.add(change.apply(t));
        found = true;
      } else {
        next.add(t);
      }
    }
    if (!found) {
      next.add(change.apply(null));
    }
    return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed, closedAt,
        helperId, helperName, helperAt, members, removedMembers, placements, List.copyOf(next),
        openAlerts, recentlyResolved, alertCount, scheduledDue, recentIds, summary);
  }

  HouseholdState raise(Alert alert) {
    List<Alert> open = new ArrayList<>(openAlerts);
    open.add(alert);
    return withAlerts(List.copyOf(open), recentlyResolved, alertCount + 1);
  }

  HouseholdState acknowledge(String alertId, String by, Instant at) {
    List<Alert> open = new ArrayList<>(openAlerts.size());
    for (Alert a : openAlerts) {
      open.add(a.alertId().equals(alertId) ? a.acknowledged(by, at) : a);
    }
    return withAlerts(List.copyOf(open), recentlyResolved, alertCount);
  }

  HouseholdState resolve(String alertId, Instant at) {
    List<Alert> open = new ArrayList<>(openAlerts.size());
    List<Alert> resolved = new ArrayList<>(recentlyResolved);
    for (Alert a : openAlerts) {
      if (a.alertId().equals(alertId)) {
        resolved.add(a.resolved(at));
      } else {
        open.add(a);
      }
    }
    if (resolved.size() > RESOLVED_KEPT) {
      resolved = resolved.subList(resolved.size() - RESOLVED_KEPT, resolved.size());
    }
    return withAlerts(List.copyOf(open), List.copyOf(resolved), alertCount);
  }

  HouseholdState summarized(HouseholdSummary next) {
    return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed, closedAt,
        helperId, helperName, helperAt, members, removedMembers, placements, trainings, openAlerts,
        recentlyResolved, alertCount, scheduledDue, recentIds, next);
  }

  HouseholdState scheduled(Instant due) {
    return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed, closedAt,
        helperId, helperName, helperAt, members, removedMembers, placements, trainings, openAlerts,
        recentlyResolved, alertCount, due, recentIds, summary);
  }

  // ---------------------------------------------------------------------------------- helpers

  private HouseholdState withRecentIds(RecentIds ids) {
    return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed, closedAt,
        helperId, helperName, helperAt, members, removedMembers, placements, trainings, openAlerts,
        recentlyResolved, alertCount, scheduledDue, ids, summary);
  }

  private HouseholdState withMembers(Map<String, Member> m, Map<String, Instant> removed) {
    return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed, closedAt,
        helperId, helperName, helperAt, m, removed, placements, trainings, openAlerts,
        recentlyResolved, alertCount, scheduledDue, recentIds, summary);
  }

  private HouseholdState withPlacement(Placement p) {
    return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed, closedAt,
        helperId, helperName, helperAt, members, removedMembers, with(placements, p.placementId(), p),
        trainings, openAlerts, recentlyResolved, alertCount, scheduledDue, recentIds, summary);
  }

  private HouseholdState withAlerts(List<Alert> open, List<Alert> resolved, long count) {
    return new HouseholdState(householdId, regionCode, deepPovertyArea, registeredAt, closed, closedAt,
        helperId, helperName, helperAt, members, removedMembers, placements, trainings, open,
        resolved, count, scheduledDue, recentIds, summary);
  }

  private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
    TreeMap<String, V> next = new TreeMap<>(map);
    next.put(key, value);
    return Collections.unmodifiableMap(next);
  }
}
