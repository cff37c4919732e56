package cn.emon.household;

import cn.emon.CborSerializable;
import cn.emon.ErrorCode;
import cn.emon.alerting.HouseholdFacts;
import cn.emon.alerting.LaborCapacity;
import cn.emon.alerting.Member;
import cn.emon.alerting.Placement;
import cn.emon.alerting.WorkScope;
import cn.emon.household.Household.AlertChange;
import cn.emon.household.Household.Derivation;
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
import cn.emon.household.Household.Recorded;
import cn.emon.household.Household.Rejection;
import cn.emon.household.Household.TrainingCompleted;
import cn.emon.household.Household.TrainingEnrolled;
import cn.emon.region.RegionCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The immutable state of one household, in parts: its registration (null until registered), its
 * helper (null until assigned), its members, placements and trainings, its alert book and the
 * entity's own bookkeeping. Transitions are domain verbs returning a new state. Facts that
 * integrators may report out of order (region, membership, helper, closure) follow the event
 * times: a report older than the one it contradicts is recorded but does not win.
 */
public record HouseholdState(
    String householdId,
    Registration registration,
    Helper helper,
    Roster roster,
    Map<String, Placement> placements,
    List<Training> trainings,
    AlertBook alerts,
    Bookkeeping bookkeeping) implements CborSerializable {

  /**
   * Where the household is and whether it is monitored.
   *
   * @param registeredAt event time of the registration that set region and area
   * @param closedAt event time of the closure, while closed
   */
  public record Registration(String regionCode, boolean deepPovertyArea, Instant registeredAt, boolean closed,
      Instant closedAt) {}

  /** The one-on-one helper (一对一帮扶责任人) and the event time of the assignment. */
  public record Helper(String helperId, String helperName, Instant assignedAt) {}

  /**
   * The members, by id, and the members removed, with the event time of the removal (so an older
   * update does not bring one back).
   */
  public record Roster(Map<String, Member> members, Map<String, Instant> removed) {
    static final Roster EMPTY = new Roster(Map.of(), Map.of());
  }

  /**
   * The alerts this household holds.
   *
   * @param open open or acknowledged, oldest first
   * @param recentlyResolved the last few resolved, so an acknowledgement of one answers with it
   * @param count alerts ever raised; the next alert id uses {@code count + 1}
   */
  public record AlertBook(List<Alert> open, List<Alert> recentlyResolved, long count) {
    static final AlertBook EMPTY = new AlertBook(List.of(), List.of(), 0);
    private static final int RESOLVED_KEPT = 20;

    AlertBook raise(Alert alert) {
      List<Alert> next = new ArrayList<>(open.size() + 1);
      next.addAll(open);
      next.add(alert);
      return new AlertBook(List.copyOf(next), recentlyResolved, count + 1);
    }

    AlertBook acknowledge(String alertId, String by, Instant at) {
      List<Alert> next = new ArrayList<>(open.size());
      for (Alert a : open) {
        next.add(a.alertId().equals(alertId) ? a.acknowledged(by, at) : a);
      }
      return new AlertBook(List.copyOf(next), recentlyResolved, count);
    }

    /** The open alert of that id as given (an escalation changes nothing else). */
    AlertBook replace(Alert alert) {
      List<Alert> next = new ArrayList<>(open.size());
      for (Alert a : open) {
        next.add(a.alertId().equals(alert.alertId()) ? alert : a);
      }
      return new AlertBook(List.copyOf(next), recentlyResolved, count);
    }

    AlertBook resolve(String alertId, Instant at) {
      List<Alert> stillOpen = new ArrayList<>(open.size());
      List<Alert> resolved = new ArrayList<>(recentlyResolved.size() + 1);
      resolved.addAll(recentlyResolved);
      for (Alert a : open) {
        if (a.alertId().equals(alertId)) {
          resolved.add(a.resolved(at));
        } else {
          stillOpen.add(a);
        }
      }
      if (resolved.size() > RESOLVED_KEPT) {
        resolved = resolved.subList(resolved.size() - RESOLVED_KEPT, resolved.size());
      }
      return new AlertBook(List.copyOf(stillOpen), List.copyOf(resolved), count);
    }

    Optional<Alert> find(String alertId) {
      for (Alert a : open) {
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
  }

  /**
   * What the entity keeps for itself.
   *
   * @param scheduledDue the due time last handed to the deadline index (null: none)
   * @param summary what the statistics last counted of this household (null before the first)
   * @param recentIds the idempotency window
   */
  public record Bookkeeping(Instant scheduledDue, HouseholdSummary summary, RecentIds recentIds) {}

  /** A household nothing was recorded for; {@code dedupeWindow} bounds its idempotency window. */
  public static HouseholdState empty(String householdId, int dedupeWindow) {
    return new HouseholdState(householdId, null, null, Roster.EMPTY, Map.of(), List.of(), AlertBook.EMPTY,
        new Bookkeeping(null, null, RecentIds.empty(dedupeWindow)));
  }

  // ------------------------------------------------------------------------------- reading

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isRegistered() {
    return registration != null;
  }

  /** The region code; null until registered. */
  public String regionCode() {
    return registration == null ? null : registration.regionCode();
  }

  public boolean deepPovertyArea() {
    return registration != null && registration.deepPovertyArea();
  }

  public boolean closed() {
    return registration != null && registration.closed();
  }

  public Map<String, Member> members() {
    return roster.members();
  }

  public List<Alert> openAlerts() {
    return alerts.open();
  }

  public Instant scheduledDue() {
    return bookkeeping.scheduledDue();
  }

  public HouseholdSummary summary() {
    return bookkeeping.summary();
  }

  public RecentIds recentIds() {
    return bookkeeping.recentIds();
  }

  /** What the alert rules look at. */
  public HouseholdFacts facts() {
    return new HouseholdFacts(householdId, regionCode(), deepPovertyArea(), closed(), helper != null,
        roster.members(), placements);
  }

  public Optional<Alert> findAlert(String alertId) {
    return alerts.find(alertId);
  }

  /** A reason the caller may not post this event, or empty. An empty scope allows every region. */
  Optional<Rejection> outsideScope(DomainEvent event, List<String> scope) {
    if (scope.isEmpty()) {
      return Optional.empty();
    }
    if (isRegistered() && !RegionCode.inScope(regionCode(), scope)) {
      return reject(ErrorCode.REGION_FORBIDDEN, "subject: household is outside the token's regions");
    }
    if (event instanceof HouseholdRegistered r && !RegionCode.inScope(r.regionCode(), scope)) {
      return reject(ErrorCode.REGION_FORBIDDEN, "data.regionCode: outside the token's regions");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> reject(ErrorCode code, String error) {
    return Optional.of(new Rejection(code, error));
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
      if (!members().containsKey(e.memberId()) && e.laborCapacity() == null) {
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
    return members().containsKey(memberId) ? Optional.empty()
        : reject(ErrorCode.FIELD_INVALID, "data.memberId: unknown member of this household");
  }

  private Optional<Rejection> knownPlacement(String placementId) {
    return placements.containsKey(placementId) ? Optional.empty()
        : reject(ErrorCode.FIELD_INVALID, "data.placementId: unknown placement of this household");
  }

  // ------------------------------------------------------------------------------ transitions

  /** A stored input event with what was derived from it. */
  HouseholdState recorded(Recorded r) {
    return apply(r.event()).derived(r.derived());
  }

  /** Applies what the rules derived: alert changes, the summary, the deadline. */
  HouseholdState derived(Derivation d) {
    AlertBook book = alerts;
    for (AlertChange change : d.alerts()) {
      Alert a = change.alert();
      book = switch (change.kind()) {
        case RAISED -> book.raise(a);
        case ACKNOWLEDGED -> book.acknowledge(a.alertId(), a.acknowledgedBy(), a.acknowledgedAt());
        case RESOLVED -> book.resolve(a.alertId(), a.resolvedAt());
        case ESCALATED -> book.replace(a);
      };
    }
    Bookkeeping b = bookkeeping;
    if (d.summary() != null) {
      b = new Bookkeeping(b.scheduledDue(), d.summary().after(), b.recentIds());
    }
    if (d.deadline() != null) {
      b = new Bookkeeping(d.deadline().dueAt(), b.summary(), b.recentIds());
    }
    return withAlerts(book).withBookkeeping(b);
  }

  /** Applies an integrator event and remembers its idempotency key. */
  HouseholdState apply(DomainEvent event) {
    HouseholdState s = withBookkeeping(new Bookkeeping(bookkeeping.scheduledDue(), bookkeeping.summary(),
        bookkeeping.recentIds().add(event.meta().dedupeKey())));
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
      if (helper != null && at.isBefore(helper.assignedAt())) {
        return s;
      }
      return new HouseholdState(householdId, registration, new Helper(e.helperId(), e.helperName(), at), roster,
          placements, trainings, alerts, s.bookkeeping);
    } else if (event instanceof HouseholdClosed) {
      if (registration.registeredAt() != null && at.isBefore(registration.registeredAt())) {
        return s;
      }
      return s.withRegistration(new Registration(registration.regionCode(), registration.deepPovertyArea(),
          registration.registeredAt(), true, at));
    }
    throw new IllegalArgumentException("unhandled event " + event.getClass().getSimpleName());
  }

  private HouseholdState registered(HouseholdRegistered e, Instant at) {
    Registration r = registration;
    boolean newer = r == null || !at.isBefore(r.registeredAt());
    String region = newer ? e.regionCode() : r.regionCode();
    boolean deep = newer ? e.deepPovertyArea() : r.deepPovertyArea();
    boolean closed = r != null && r.closed();
    boolean reopened = closed && r.closedAt() != null && at.isAfter(r.closedAt());
    HouseholdState s = new HouseholdState(householdId,
        new Registration(region, deep, newer ? at : r.registeredAt(), closed && !reopened,
            reopened || r == null ? null : r.closedAt()),
        helper, roster, rescoped(region), trainings, alerts, bookkeeping);
    for (MemberSpec m : e.members()) {
      s = s.memberChanged(m.memberId(), m.laborCapacity(), m.wantsTraining(), at);
    }
    return s;
  }

  private Map<String, Placement> rescoped(String region) {
    if (region.equals(regionCode())) {
      return placements;
    }
    TreeMap<String, Placement> next = new TreeMap<>();
    placements.forEach((id, p) -> next.put(id, p.withWorkScope(WorkScope.of(region, p.workRegionCode()))));
    return Collections.unmodifiableMap(next);
  }

  private HouseholdState memberChanged(String memberId, LaborCapacity capacity, Boolean wantsTraining, Instant at) {
    Member existing = members().get(memberId);
    Member next;
    if (existing != null) {
      next = existing.updated(capacity, wantsTraining, at);
    } else {
      Instant removedAt = roster.removed().get(memberId);
      if ((removedAt != null && at.isBefore(removedAt)) || capacity == null) {
        return this; // an update older than the member's removal does not bring it back
      }
      next = Member.of(memberId, capacity, Boolean.TRUE.equals(wantsTraining), at);
    }
    return withRoster(new Roster(with(members(), memberId, next), roster.removed()));
  }

  private HouseholdState memberRemoved(String memberId, Instant at) {
    Member existing = members().get(memberId);
    Map<String, Instant> removed = with(roster.removed(), memberId, at);
    if (existing != null && at.isBefore(existing.updatedAt())) {
      return withRoster(new Roster(members(), removed)); // a later update keeps the member
    }
    TreeMap<String, Member> next = new TreeMap<>(members());
    next.remove(memberId);
    return withRoster(new Roster(Collections.unmodifiableMap(next), removed));
  }

  private HouseholdState placementStarted(PlacementStarted e) {
    Placement existing = placements.get(e.placementId());
    Placement p = new Placement(e.placementId(), e.memberId(), e.channel(), e.employer(),
        e.workRegionCode(), WorkScope.of(regionCode(), e.workRegionCode()), e.startDate(),
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
    return s.withRoster(new Roster(with(members(), e.memberId(), members().get(e.memberId()).enrolledOn(e.startDate())),
        roster.removed()));
  }

  private HouseholdState trainingCompleted(TrainingCompleted e) {
    HouseholdState s = withTraining(e.memberId(), e.programId(), t ->
        new Training(e.memberId(), e.programId(), t == null ? null : t.startDate(), e.endDate(),
            e.certified()));
    Member m = members().get(e.memberId());
    // A completion without a known enrolment is evidence of training all the same.
    Member next = m.lastEnrolledOn() == null ? m.enrolledOn(e.endDate()) : m;
    return s.withRoster(new Roster(with(members(), e.memberId(), next), roster.removed()));
  }

  private HouseholdState withTraining(String memberId, String programId, UnaryOperator<Training> change) {
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
    return new HouseholdState(householdId, registration, helper, roster, placements, List.copyOf(next), alerts,
        bookkeeping);
  }

  // The transitions of the events the previous release stored one by one (replay only).

  HouseholdState raise(Alert alert) {
    return withAlerts(alerts.raise(alert));
  }

  HouseholdState acknowledge(String alertId, String by, Instant at) {
    return withAlerts(alerts.acknowledge(alertId, by, at));
  }

  HouseholdState resolve(String alertId, Instant at) {
    return withAlerts(alerts.resolve(alertId, at));
  }

  HouseholdState summarized(HouseholdSummary next) {
    return withBookkeeping(new Bookkeeping(bookkeeping.scheduledDue(), next, bookkeeping.recentIds()));
  }

  HouseholdState scheduled(Instant due) {
    return withBookkeeping(new Bookkeeping(due, bookkeeping.summary(), bookkeeping.recentIds()));
  }

  // ---------------------------------------------------------------------------------- helpers

  private HouseholdState withRegistration(Registration r) {
    return new HouseholdState(householdId, r, helper, roster, placements, trainings, alerts, bookkeeping);
  }

  private HouseholdState withRoster(Roster r) {
    return new HouseholdState(householdId, registration, helper, r, placements, trainings, alerts, bookkeeping);
  }

  private HouseholdState withPlacement(Placement p) {
    return new HouseholdState(householdId, registration, helper, roster, with(placements, p.placementId(), p),
        trainings, alerts, bookkeeping);
  }

  private HouseholdState withAlerts(AlertBook book) {
    return new HouseholdState(householdId, registration, helper, roster, placements, trainings, book, bookkeeping);
  }

  private HouseholdState withBookkeeping(Bookkeeping b) {
    return new HouseholdState(householdId, registration, helper, roster, placements, trainings, alerts, b);
  }

  private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
    TreeMap<String, V> next = new TreeMap<>(map);
    next.put(key, value);
    return Collections.unmodifiableMap(next);
  }
}
