package cn.emon.alerting;

import static cn.emon.alerting.AlertType.NO_HELPER;
import static cn.emon.alerting.AlertType.PLACEMENT_LAPSED;
import static cn.emon.alerting.AlertType.TRAINING_PENDING;
import static cn.emon.alerting.AlertType.ZERO_EMPLOYMENT;
import static cn.emon.alerting.LaborCapacity.LOST;
import static cn.emon.alerting.LaborCapacity.NONE;
import static cn.emon.alerting.LaborCapacity.ORDINARY;
import static cn.emon.alerting.LaborCapacity.WEAK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alert rules of CONTRACT §4 as pure functions: every row, every threshold at its exact
 * boundary, and the next-due bookkeeping the deadline scanner relies on.
 */
class AlertRulesTest {

  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final Duration VERIFICATION = Duration.ofDays(90);
  private static final Duration HELPER = Duration.ofDays(7);
  private static final Duration TRAINING = Duration.ofDays(30);
  private static final AlertRules RULES =
      new AlertRules(new RuleSettings(VERIFICATION, HELPER, TRAINING, ZONE));

  private static final Duration NANO = Duration.ofNanos(1);
  /** 2026-11-20 10:00 in Shanghai. */
  private static final Instant NOW = at("2026-11-20T10:00");
  private static final Instant LONG_AGO = at("2026-01-01T08:00");

  private static final AlertKey ZERO = AlertKey.household(ZERO_EMPLOYMENT);
  private static final AlertKey NO_HELPER_KEY = AlertKey.household(NO_HELPER);

  // ------------------------------------------------------------------ ZERO_EMPLOYMENT

  @ParameterizedTest
  @CsvSource({"SKILLED, true", "ORDINARY, true", "WEAK, true", "LOST, false", "NONE, false"})
  void raisesZeroEmploymentOnlyForLabourCapableMembers(LaborCapacity capacity, boolean raised) {
    Evaluation e = evaluate(household().member("m1", capacity), NOW);

    assertThat(keys(e).contains(ZERO)).isEqualTo(raised);
  }

  @Test
  void raisesZeroEmploymentWhenOneOfSeveralMembersIsLabourCapable() {
    Evaluation e = evaluate(household().member("m1", LOST).member("m2", NONE).member("m3", WEAK), NOW);

    assertThat(keys(e)).containsExactly(ZERO);
  }

  @Test
  void raisesNothingForHouseholdWithoutMembers() {
    Evaluation e = evaluate(household(), NOW);

    assertThat(e.findings()).isEmpty();
    assertThat(e.nextDue()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"true, CRITICAL", "false, HIGH"})
  void zeroEmploymentIsCriticalOnlyInDeepPovertyArea(boolean deepPovertyArea, Severity severity) {
    Facts facts = household().member("m1", ORDINARY);
    facts.deepPovertyArea = deepPovertyArea;

    assertThat(finding(evaluate(facts, NOW), ZERO).severity()).isEqualTo(severity);
  }

  @ParameterizedTest
  @EnumSource(LaborCapacity.class)
  void anyEmployedMemberClearsZeroEmployment(LaborCapacity capacityOfEmployedMember) {
    Facts facts = household()
        .member("m1", ORDINARY)
        .member("m2", capacityOfEmployedMember)
        .placement(job("p2", "m2", "2026-11-01", null, null, null));

    assertThat(evaluate(facts, NOW).findings()).isEmpty();
  }

  @Test
  void raisesZeroEmploymentWhenLastPlacementEnds() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-10-01", null, null, "2026-11-25"));
    Instant endsAt = startOf("2026-11-25");

    Evaluation before = evaluate(facts, endsAt.minus(NANO));
    Evaluation after = evaluate(facts, endsAt);

    assertThat(before.findings()).isEmpty();
    assertThat(before.nextDue()).contains(endsAt);
    assertThat(keys(after)).containsExactly(ZERO, lapsed("m1", "p1"));
    assertThat(RULES.status(facts.placements.get("p1"), endsAt)).isEqualTo(PlacementStatus.ENDED);
  }

  @Test
  void removedMemberNoLongerCountsAsLabourCapable() {
    // m1 left the household: the facts keep its (ended) placement but not the member.
    Facts facts = household()
        .member("m2", NONE)
        .placement(job("p1", "m1", "2026-06-01", null, null, "2026-11-01"));

    Evaluation e = evaluate(facts, NOW);

    assertThat(e.findings()).isEmpty();
  }

  @Test
  void removedMembersJobNoLongerCountsAsEmployment() {
    Facts facts = household()
        .member("m2", ORDINARY)
        .placement(job("p1", "m1", "2026-11-01", null, null, null));

    assertThat(keys(evaluate(facts, NOW))).containsExactly(ZERO);
  }

  @Test
  void closedHouseholdHasNoFindingsAndNothingDue() {
    Facts facts = household()
        .member("m1", ORDINARY, true, LONG_AGO)
        .placement(job("p1", "m1", "2026-01-01", null, null, "2026-02-01"));
    facts.closed = true;

    Evaluation e = evaluate(facts, Map.of(ZERO, LONG_AGO), NOW);

    assertThat(e.findings()).isEmpty();
    assertThat(e.nextDue()).isEmpty();
  }

  @Test
  void unregisteredHouseholdHasNoFindings() {
    Facts facts = household().member("m1", ORDINARY);
    facts.regionCode = null;

    Evaluation e = evaluate(facts, NOW);

    assertThat(e.findings()).isEmpty();
    assertThat(e.nextDue()).isEmpty();
  }

  @Test
  void placementStartedAfterAnotherEndedKeepsMemberEmployed() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-06-01", null, null, "2026-11-01"))
        .placement(job("p2", "m1", "2026-11-05", null, null, null));

    Evaluation e = evaluate(facts, NOW);

    assertThat(e.findings()).isEmpty();
    // the only thing ahead is p2 going unverified
    assertThat(e.nextDue()).contains(startOf("2026-11-05").plus(VERIFICATION));
  }

  @Test
  void placementStartingInFutureIsPendingAndDueAtItsStart() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-11-22", null, null, null));
    Placement p1 = facts.placements.get("p1");
    Instant startsAt = startOf("2026-11-22");

    Evaluation pending = evaluate(facts, Map.of(ZERO, NOW), NOW);

    assertThat(RULES.status(p1, NOW)).isEqualTo(PlacementStatus.PENDING);
    assertThat(keys(pending)).containsExactly(ZERO);
    assertThat(pending.nextDue()).contains(startsAt);

    assertThat(RULES.status(p1, startsAt.minus(NANO))).isEqualTo(PlacementStatus.PENDING);
    assertThat(RULES.status(p1, startsAt)).isEqualTo(PlacementStatus.ACTIVE);
    assertThat(evaluate(facts, Map.of(ZERO, NOW), startsAt).findings()).isEmpty();
  }

  @Test
  void endedPlacementWinsOverFutureStart() {
    Placement p = job("p1", "m1", "2026-12-01", null, null, "2026-11-01");

    assertThat(RULES.status(p, NOW)).isEqualTo(PlacementStatus.ENDED);
  }

  // ------------------------------------------------------------------ PLACEMENT_LAPSED

  static Stream<Arguments> verificationsAroundExpectedEnd() {
    // expected end 2026-11-19; evaluated once 2026-11-20 has begun
    return Stream.of(
        Arguments.of(null, PlacementStatus.EXPIRED),
        Arguments.of("2026-11-01", PlacementStatus.EXPIRED),
        Arguments.of("2026-11-18", PlacementStatus.EXPIRED),
        Arguments.of("2026-11-19", PlacementStatus.ACTIVE),
        Arguments.of("2026-11-20", PlacementStatus.ACTIVE));
  }

  @ParameterizedTest(name = "verified on {0} -> {1}")
  @MethodSource("verificationsAroundExpectedEnd")
  void expectedEndPassesUnlessVerifiedOnOrAfterIt(String verifiedOn, PlacementStatus expected) {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-10-01", "2026-11-19", verifiedOn, null));
    Instant dayAfter = startOf("2026-11-20");

    assertThat(RULES.status(facts.placements.get("p1"), dayAfter)).isEqualTo(expected);
    List<AlertKey> expectedKeys = expected == PlacementStatus.EXPIRED
        ? List.of(ZERO, lapsed("m1", "p1")) : List.of();
    assertThat(keys(evaluate(facts, dayAfter))).isEqualTo(expectedKeys);
  }

  @Test
  void expectedEndPassesAtStartOfFollowingDay() {
    Placement p = job("p1", "m1", "2026-10-01", "2026-11-19", null, null);
    Instant passes = startOf("2026-11-20");
    Facts facts = household().member("m1", ORDINARY).placement(p);
    facts.helperAssigned = true;

    assertThat(RULES.status(p, at("2026-11-19T23:00"))).isEqualTo(PlacementStatus.ACTIVE);
    assertThat(RULES.status(p, passes.minus(NANO))).isEqualTo(PlacementStatus.ACTIVE);
    assertThat(evaluate(facts, passes.minus(NANO)).nextDue()).contains(passes);
    assertThat(RULES.status(p, passes)).isEqualTo(PlacementStatus.EXPIRED);
  }

  @Test
  void placementEndedBeforeItsExpectedEndIsEnded() {
    Placement p = job("p1", "m1", "2026-10-01", "2026-11-19", null, "2026-11-10");

    assertThat(RULES.status(p, NOW)).isEqualTo(PlacementStatus.ENDED);
  }

  static Stream<Arguments> unverifiedThresholds() {
    return Stream.of(
        // start, last verified, instant at which it goes unverified (start of day + 90d)
        Arguments.of("2026-06-01", null, "2026-08-30T00:00"),
        Arguments.of("2026-06-01", "2026-07-01", "2026-09-29T00:00"),
        Arguments.of("2026-06-01", "2026-05-15", "2026-08-30T00:00"),
        Arguments.of("2026-06-01", "2026-06-01", "2026-08-30T00:00"));
  }

  @ParameterizedTest(name = "started {0}, verified {1}: unverified from {2}")
  @MethodSource("unverifiedThresholds")
  void goesUnverifiedExactlyOneIntervalAfterLastVerification(
      String start, String verified, String unverifiedFrom) {
    Placement p = job("p1", "m1", start, null, verified, null);
    Facts facts = household().member("m1", ORDINARY).placement(p);
    Instant threshold = at(unverifiedFrom);

    Evaluation before = evaluate(facts, threshold.minus(NANO));
    Evaluation after = evaluate(facts, threshold);

    assertThat(RULES.status(p, threshold.minus(NANO))).isEqualTo(PlacementStatus.ACTIVE);
    assertThat(before.findings()).isEmpty();
    assertThat(before.nextDue()).contains(threshold);
    assertThat(RULES.status(p, threshold)).isEqualTo(PlacementStatus.UNVERIFIED);
    assertThat(keys(after)).containsExactly(ZERO, lapsed("m1", "p1"));
  }

  @Test
  void verificationAfterExpectedEndKeepsPlacementUntilItGoesUnverified() {
    Placement p = job("p1", "m1", "2026-06-01", "2026-07-31", "2026-08-01", null);

    assertThat(RULES.status(p, startOf("2026-10-30").minus(NANO))).isEqualTo(PlacementStatus.ACTIVE);
    assertThat(RULES.status(p, startOf("2026-10-30"))).isEqualTo(PlacementStatus.UNVERIFIED);
  }

  @Test
  void placementLapsedIsHighSeverity() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-06-01", null, null, "2026-11-01"));

    assertThat(finding(evaluate(facts, NOW), lapsed("m1", "p1")).severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void noPlacementLapsedWhileMemberHoldsAnotherActivePlacement() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-06-01", null, null, "2026-11-01"))
        .placement(job("p2", "m1", "2026-05-01", null, "2026-11-10", null));

    assertThat(evaluate(facts, NOW).findings()).isEmpty();
  }

  @Test
  void placementLapsedStaysWhileMembersNextPlacementIsStillPending() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-06-01", null, null, "2026-11-01"))
        .placement(job("p2", "m1", "2026-11-24", null, null, null));

    Evaluation e = evaluate(facts, Map.of(ZERO, NOW), NOW);

    assertThat(keys(e)).containsExactly(ZERO, lapsed("m1", "p1"));
    assertThat(e.nextDue()).contains(startOf("2026-11-24"));
  }

  @Test
  void anotherMembersJobClearsZeroEmploymentButNotThisMembersLapse() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .member("m2", ORDINARY)
        .placement(job("p1", "m1", "2026-06-01", null, null, "2026-11-01"))
        .placement(job("p2", "m2", "2026-11-01", null, null, null));

    assertThat(keys(evaluate(facts, NOW))).containsExactly(lapsed("m1", "p1"));
  }

  static Stream<Arguments> lapsedPlacements() {
    return Stream.of(
        // p1 and p2 of the same member, neither active: the alert names the latest lapse
        Arguments.of(job("p1", "m1", "2026-01-01", null, null, "2026-10-01"),
            job("p2", "m1", "2026-02-01", null, null, "2026-11-01"), "p2"),
        Arguments.of(job("p1", "m1", "2026-01-01", null, null, "2026-11-01"),
            job("p2", "m1", "2026-02-01", null, null, "2026-10-01"), "p1"),
        // p2 went unverified on 2026-08-30 (2026-06-01 + 90d), p1 ended later
        Arguments.of(job("p1", "m1", "2026-01-01", null, null, "2026-09-15"),
            job("p2", "m1", "2026-06-01", null, null, null), "p1"),
        // p2 went unverified on 2026-10-29, after p1 ended
        Arguments.of(job("p1", "m1", "2026-01-01", null, null, "2026-09-15"),
            job("p2", "m1", "2026-07-31", null, null, null), "p2"),
        // p2 expired on 2026-11-01 (expected end 2026-10-31), after p1 ended
        Arguments.of(job("p1", "m1", "2026-01-01", null, null, "2026-10-15"),
            job("p2", "m1", "2026-10-01", "2026-10-31", null, null), "p2"),
        // same lapse date: the greater placement id wins, whatever the insertion order
        Arguments.of(job("p2", "m1", "2026-01-01", null, null, "2026-11-01"),
            job("p1", "m1", "2026-02-01", null, null, "2026-11-01"), "p2"));
  }

  @ParameterizedTest(name = "[{index}] names {2}")
  @MethodSource("lapsedPlacements")
  void placementLapsedNamesTheMembersLatestLapsedPlacement(Placement a, Placement b, String named) {
    Facts facts = household().member("m1", ORDINARY).placement(a).placement(b);

    assertThat(keys(evaluate(facts, NOW))).containsExactly(ZERO, lapsed("m1", named));
  }

  @Test
  void removedMembersLapsedPlacementRaisesNothing() {
    Facts facts = household()
        .member("m2", ORDINARY)
        .placement(job("p1", "m1", "2026-06-01", null, null, "2026-11-01"));

    assertThat(keys(evaluate(facts, NOW))).containsExactly(ZERO);
  }

  // ------------------------------------------------------------------------ NO_HELPER

  @ParameterizedTest(name = "raised + 7d {0} -> {1}")
  @CsvSource({"-PT0.000000001S, false", "PT0S, true", "PT0.000000001S, true", "P3D, true"})
  void noHelperFiresAtHelperDeadlineAfterZeroEmploymentRaised(Duration offset, boolean raised) {
    Instant zeroRaised = at("2026-11-13T10:00");
    Instant now = zeroRaised.plus(HELPER).plus(offset);

    Evaluation e = evaluate(household().member("m1", ORDINARY), Map.of(ZERO, zeroRaised), now);

    assertThat(keys(e).contains(NO_HELPER_KEY)).isEqualTo(raised);
    assertThat(e.nextDue()).isEqualTo(raised ? Optional.empty() : Optional.of(zeroRaised.plus(HELPER)));
  }

  @Test
  void noHelperIsWarningSeverity() {
    Evaluation e = evaluate(household().member("m1", ORDINARY), Map.of(ZERO, LONG_AGO), NOW);

    assertThat(finding(e, NO_HELPER_KEY).severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void noHelperCountsFromZeroEmploymentRaiseTimeNotFromOtherOpenAlerts() {
    Instant zeroRaised = NOW.minus(Duration.ofDays(1));
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-01-01", null, null, "2026-11-19"));
    Map<AlertKey, Instant> openSince = Map.of(
        lapsed("m1", "p0"), LONG_AGO,
        NO_HELPER_KEY, LONG_AGO,
        ZERO, zeroRaised);

    Evaluation e = evaluate(facts, openSince, NOW);

    assertThat(keys(e)).containsExactly(ZERO, lapsed("m1", "p1"));
    assertThat(e.nextDue()).contains(zeroRaised.plus(HELPER));
  }

  @Test
  void noHelperDeadlineStartsNowWhenZeroEmploymentIsNotYetOpen() {
    Evaluation e = evaluate(household().member("m1", ORDINARY), Map.of(), NOW);

    assertThat(keys(e)).containsExactly(ZERO);
    assertThat(e.nextDue()).contains(NOW.plus(HELPER));
  }

  @Test
  void noHelperNotRaisedOnceHelperAssigned() {
    Facts facts = household().member("m1", ORDINARY);
    facts.helperAssigned = true;

    Evaluation e = evaluate(facts, Map.of(ZERO, LONG_AGO), NOW);

    assertThat(keys(e)).containsExactly(ZERO);
    assertThat(e.nextDue()).isEmpty();
  }

  @Test
  void noHelperNotRaisedWhenZeroEmploymentNoLongerHolds() {
    Facts facts = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-11-01", null, null, null));

    Evaluation e = evaluate(facts, Map.of(ZERO, LONG_AGO, NO_HELPER_KEY, LONG_AGO), NOW);

    assertThat(e.findings()).isEmpty();
  }

  // ----------------------------------------------------------------- TRAINING_PENDING

  /** 2026-11-20 00:30 in Shanghai, still 2026-11-19 in UTC: the wish date is a Shanghai date. */
  private static final Instant WISH = at("2026-11-20T00:30");

  static Stream<Arguments> trainingCases() {
    return Stream.of(
        // enrolled on, evaluated at WISH + 30d + offset, pending?
        Arguments.of(null, Duration.ZERO, true),
        Arguments.of(null, NANO.negated(), false),
        Arguments.of(null, Duration.ofDays(10), true),
        Arguments.of("2026-11-19", Duration.ZERO, true),
        Arguments.of("2026-10-01", Duration.ofDays(10), true),
        Arguments.of("2026-11-20", Duration.ZERO, false),
        Arguments.of("2026-12-01", Duration.ZERO, false));
  }

  @ParameterizedTest(name = "enrolled {0}, deadline {1}: pending={2}")
  @MethodSource("trainingCases")
  void trainingPendingWhenNoEnrolmentSinceTheWishByTheDeadline(
      String enrolledOn, Duration offset, boolean pending) {
    Member m = Member.of("m1", NONE, true, WISH);
    if (enrolledOn != null) {
      m = m.enrolledOn(LocalDate.parse(enrolledOn));
    }
    Instant now = WISH.plus(TRAINING).plus(offset);

    Evaluation e = evaluate(household().member(m), now);

    assertThat(keys(e)).isEqualTo(pending ? List.of(training("m1")) : List.of());
    if (pending) {
      assertThat(finding(e, training("m1")).severity()).isEqualTo(Severity.WARNING);
    }
  }

  @Test
  void trainingPendingDueAtWishPlusDeadline() {
    Evaluation e = evaluate(household().member(Member.of("m1", NONE, true, WISH)), WISH);

    assertThat(e.findings()).isEmpty();
    assertThat(e.nextDue()).contains(WISH.plus(TRAINING));
  }

  @Test
  void noTrainingPendingOnceMemberNoLongerWantsTraining() {
    Member m = Member.of("m1", NONE, true, WISH).updated(null, false, WISH.plus(Duration.ofDays(5)));

    Evaluation e = evaluate(household().member(m), WISH.plus(Duration.ofDays(60)));

    assertThat(e.findings()).isEmpty();
    assertThat(e.nextDue()).isEmpty();
  }

  @Test
  void trainingDeadlineCountsFromTheLatestWishNotAnEarlierOne() {
    Instant renewed = WISH.plus(Duration.ofDays(20));
    Member m = Member.of("m1", NONE, true, WISH)
        .updated(null, false, WISH.plus(Duration.ofDays(10)))
        .updated(null, true, renewed);

    assertThat(evaluate(household().member(m), WISH.plus(TRAINING)).findings()).isEmpty();
    assertThat(keys(evaluate(household().member(m), renewed.plus(TRAINING))))
        .containsExactly(training("m1"));
  }

  // -------------------------------------------------------------------------- nextDue

  static Stream<Arguments> nextDueCases() {
    Facts pendingJobAndWish = household()
        .member(Member.of("m1", ORDINARY, true, NOW))
        .placement(job("p1", "m1", "2026-11-23", null, null, null));
    Facts activeWithEnd = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-11-01", "2026-12-31", null, "2026-11-28"));
    activeWithEnd.helperAssigned = true;
    Facts expiringFirst = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-11-01", "2026-11-24", null, null));
    Facts allLapsed = household()
        .member("m1", ORDINARY)
        .placement(job("p1", "m1", "2026-01-01", null, null, "2026-02-01"));
    Facts trainingFirst = household()
        .member(Member.of("m1", ORDINARY, true, NOW.minus(Duration.ofDays(28))));
    return Stream.of(
        Arguments.of("pending job before helper and training", pendingJobAndWish, Map.of(ZERO, NOW),
            startOf("2026-11-23")),
        Arguments.of("end date before expected end and unverified", activeWithEnd, Map.of(),
            startOf("2026-11-28")),
        Arguments.of("expected end before unverified", expiringFirst, Map.of(),
            startOf("2026-11-25")),
        Arguments.of("helper deadline of an open zero-employment alert", allLapsed,
            Map.of(ZERO, NOW.minus(Duration.ofDays(6))), NOW.plus(Duration.ofDays(1))),
        Arguments.of("nothing left once every deadline fired", allLapsed, Map.of(ZERO, LONG_AGO), null),
        Arguments.of("training deadline before helper deadline", trainingFirst, Map.of(ZERO, NOW),
            NOW.plus(Duration.ofDays(2))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nextDueCases")
  void nextDueIsTheEarliestUpcomingChange(String name, Facts facts, Map<AlertKey, Instant> openSince,
      Instant expected) {
    Evaluation e = evaluate(facts, openSince, NOW);

    assertThat(e.nextDue()).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void walkingFromOneNextDueToTheNextSeesEveryChangeAndNothingInBetween() {
    Facts facts = household()
        .member(Member.of("m1", ORDINARY, true, NOW))
        .member("m2", WEAK)
        .placement(job("p1", "m1", "2026-12-01", "2027-01-15", null, null));

    List<String> seen = new ArrayList<>();
    Map<AlertKey, Instant> openSince = new HashMap<>();
    Instant now = NOW;
    for (int step = 0; step < 20; step++) {
      Evaluation e = RULES.evaluate(facts.build(), Map.copyOf(openSince), now);
      List<AlertKey> current = keys(e);
      seen.add(now + " " + current);
      // what an entity does with the findings: raise at now, resolve what no longer holds
      openSince.keySet().retainAll(current);
      for (AlertKey k : current) {
        openSince.putIfAbsent(k, now);
      }
      if (e.nextDue().isEmpty()) {
        break;
      }
      Instant due = e.nextDue().get();
      assertThat(due).isAfter(now);
      assertThat(keys(RULES.evaluate(facts.build(), Map.copyOf(openSince), due.minus(NANO))))
          .as("nothing changes before %s", due)
          .isEqualTo(current);
      now = due;
    }

    assertThat(seen).containsExactly(
        NOW + " " + List.of(ZERO),
        at("2026-11-27T10:00") + " " + List.of(ZERO, NO_HELPER_KEY),
        startOf("2026-12-01") + " " + List.of(),
        at("2026-12-20T10:00") + " " + List.of(training("m1")),
        startOf("2027-01-16") + " " + List.of(ZERO, lapsed("m1", "p1"), training("m1")),
        startOf("2027-01-23") + " " + List.of(ZERO, lapsed("m1", "p1"), NO_HELPER_KEY, training("m1")));
  }

  @ParameterizedTest
  @CsvSource({"2026-11-20T10:00", "2026-11-27T10:00", "2026-12-01T00:00", "2027-01-16T00:00",
      "2027-02-28T23:59:59.999999999"})
  void nextDueIsAlwaysStrictlyAfterNow(LocalDateTime local) {
    Instant now = local.atZone(ZONE).toInstant();
    Facts facts = household()
        .member(Member.of("m1", ORDINARY, true, NOW))
        .member("m2", WEAK)
        .placement(job("p1", "m1", "2026-12-01", "2027-01-15", null, null))
        .placement(job("p2", "m2", "2026-11-20", null, null, "2027-01-16"));

    for (Map<AlertKey, Instant> openSince : List.of(Map.<AlertKey, Instant>of(), Map.of(ZERO, now))) {
      Optional<Instant> due = evaluate(facts, openSince, now).nextDue();
      due.ifPresent(d -> assertThat(d).isAfter(now));
    }
  }

  @Test
  void findingsAreInAlertKeyOrder() {
    Facts facts = household()
        .member(Member.of("m2", ORDINARY, true, LONG_AGO))
        .member(Member.of("m1", ORDINARY, true, LONG_AGO))
        .placement(job("p2", "m2", "2026-01-01", null, null, "2026-03-01"))
        .placement(job("p1", "m1", "2026-01-01", null, null, "2026-03-01"));

    Evaluation e = evaluate(facts, Map.of(ZERO, LONG_AGO), NOW);

    assertThat(keys(e)).containsExactly(ZERO, lapsed("m1", "p1"), lapsed("m2", "p2"), NO_HELPER_KEY,
        training("m1"), training("m2"));
  }

  @Test
  void summariesNameMemberAndPlacementIds() {
    Facts facts = household()
        .member(Member.of("m1", ORDINARY, true, LONG_AGO))
        .placement(job("p1", "m1", "2026-01-01", null, null, "2026-03-01"));

    Evaluation e = evaluate(facts, Map.of(ZERO, LONG_AGO), NOW);

    assertThat(finding(e, lapsed("m1", "p1")).summary()).contains("m1", "p1");
    assertThat(finding(e, training("m1")).summary()).contains("m1", "30");
    assertThat(finding(e, NO_HELPER_KEY).summary()).contains("7");
    assertThat(e.findings()).allSatisfy(f -> assertThat(f.summary()).isNotBlank());
  }

  // -------------------------------------------------------------------------- helpers

  private static Evaluation evaluate(Facts facts, Instant now) {
    return evaluate(facts, Map.of(), now);
  }

  private static Evaluation evaluate(Facts facts, Map<AlertKey, Instant> openSince, Instant now) {
    return RULES.evaluate(facts.build(), openSince, now);
  }

  private static List<AlertKey> keys(Evaluation e) {
    return e.findings().stream().map(Finding::key).toList();
  }

  private static Finding finding(Evaluation e, AlertKey key) {
    return e.findings().stream().filter(f -> f.key().equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + key + " in " + e.findings()));
  }

  private static AlertKey lapsed(String member, String placement) {
    return new AlertKey(PLACEMENT_LAPSED, member, placement);
  }

  private static AlertKey training(String member) {
    return new AlertKey(TRAINING_PENDING, member, null);
  }

  private static Instant at(String shanghaiLocalDateTime) {
    return LocalDateTime.parse(shanghaiLocalDateTime).atZone(ZONE).toInstant();
  }

  private static Instant startOf(String date) {
    return LocalDate.parse(date).atStartOfDay(ZONE).toInstant();
  }

  private static LocalDate date(String s) {
    return s == null ? null : LocalDate.parse(s);
  }

  private static Placement job(String id, String member, String start, String expectedEnd,
      String verified, String ended) {
    return new Placement(id, member, Channel.WORKSHOP, "workshop", "522701", WorkScope.IN_COUNTY,
        date(start), date(expectedEnd), 2500L, date(verified), date(ended),
        ended == null ? null : EndReason.CONTRACT_ENDED);
  }

  private static Facts household() {
    return new Facts();
  }

  /** A mutable builder of {@link HouseholdFacts}: registered, not deep-poverty, no helper. */
  static final class Facts {
    String regionCode = "522701";
    boolean deepPovertyArea;
    boolean closed;
    boolean helperAssigned;
    final Map<String, Member> members = new LinkedHashMap<>();
    final Map<String, Placement> placements = new LinkedHashMap<>();

    Facts member(String id, LaborCapacity capacity) {
      return member(Member.of(id, capacity, false, LONG_AGO));
    }

    Facts member(String id, LaborCapacity capacity, boolean wantsTraining, Instant at) {
      return member(Member.of(id, capacity, wantsTraining, at));
    }

    Facts member(Member m) {
      members.put(m.memberId(), m);
      return this;
    }

    Facts placement(Placement p) {
      placements.put(p.placementId(), p);
      return this;
    }

    HouseholdFacts build() {
      return new HouseholdFacts("522701-00042", regionCode, deepPovertyArea, closed, helperAssigned,
          Map.copyOf(members), Map.copyOf(placements));
    }

    @Override
    public String toString() {
      return "members=" + members.keySet() + " placements=" + placements.keySet();
    }
  }
}
