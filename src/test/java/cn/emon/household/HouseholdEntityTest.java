package cn.emon.household;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import cn.emon.ErrorCode;
import cn.emon.alerting.AlertRules;
import cn.emon.alerting.AlertType;
import cn.emon.alerting.Channel;
import cn.emon.alerting.EndReason;
import cn.emon.alerting.LaborCapacity;
import cn.emon.alerting.Member;
import cn.emon.alerting.Placement;
import cn.emon.alerting.RuleSettings;
import cn.emon.alerting.Severity;
import cn.emon.alerting.WorkScope;
import cn.emon.testing.MutableClock;
import cn.emon.household.Household.AckResult;
import cn.emon.household.Household.AcknowledgeAlert;
import cn.emon.household.Household.AlertAcknowledged;
import cn.emon.household.Household.AlertRaised;
import cn.emon.household.Household.AlertResolved;
import cn.emon.household.Household.CheckDeadlines;
import cn.emon.household.Household.Command;
import cn.emon.household.Household.DeadlineScheduled;
import cn.emon.household.Household.DomainEvent;
import cn.emon.household.Household.Event;
import cn.emon.household.Household.EventMeta;
import cn.emon.household.Household.GetHousehold;
import cn.emon.household.Household.HelperAssigned;
import cn.emon.household.Household.HouseholdClosed;
import cn.emon.household.Household.HouseholdRegistered;
import cn.emon.household.Household.MemberRemoved;
import cn.emon.household.Household.MemberSpec;
import cn.emon.household.Household.MemberUpdated;
import cn.emon.household.Household.Outcome;
import cn.emon.household.Household.PlacementEnded;
import cn.emon.household.Household.PlacementStarted;
import cn.emon.household.Household.PlacementVerified;
import cn.emon.household.Household.RecordEvent;
import cn.emon.household.Household.RecordResult;
import cn.emon.household.Household.SummaryChanged;
import cn.emon.household.Household.TrainingCompleted;
import cn.emon.household.Household.TrainingEnrolled;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.SerializationSettings;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The household entity through {@link EventSourcedBehaviorTestKit}: replies, persisted events,
 * state, and recovery. Every command, event and state the kit sees is round-tripped through
 * Jackson CBOR, as it is bound in {@code serialization.conf}.
 */
class HouseholdEntityTest {

  /**
   * The kit waits up to single-expect-default for each reply; the first command also warms up
   * Jackson, which on a loaded build machine took longer than the 3 s default.
   */
  private static final ActorTestKit TEST_KIT = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.testkit.typed.single-expect-default = 60s")
          .withFallback(EventSourcedBehaviorTestKit.config())
          .withFallback(ConfigFactory.parseResources("serialization.conf")));

  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final Duration HELPER_DEADLINE = Duration.ofDays(7);
  private static final Duration TRAINING_DEADLINE = Duration.ofDays(30);
  private static final Duration VERIFICATION_INTERVAL = Duration.ofDays(90);
  private static final AlertRules RULES = new AlertRules(
      new RuleSettings(VERIFICATION_INTERVAL, HELPER_DEADLINE, TRAINING_DEADLINE, ZONE));
  private static final HouseholdSettings SETTINGS = new HouseholdSettings(1000);

  /** Every command, reply, persisted event and state goes through CBOR on every command. */
  private static final SerializationSettings SERIALIZATION =
      EventSourcedBehaviorTestKit.enabledSerializationSettings();

  private static final String REGION = "522701";
  private static final String SOURCE = "/integrators/522701";
  /** 2026-11-20 10:00 in Shanghai. */
  private static final Instant T0 = at("2026-11-20T10:00");
  private static final Duration NANO = Duration.ofNanos(1);
  private static final AtomicInteger HOUSEHOLDS = new AtomicInteger();

  private MutableClock clock;
  private String hh;
  private int eventSeq;
  private EventSourcedBehaviorTestKit<Command, Event, HouseholdState> kit;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    hh = "522701-" + HOUSEHOLDS.incrementAndGet();
    kit = newKit(SETTINGS);
  }

  @AfterAll
  static void shutDown() {
    TEST_KIT.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<Command, Event, HouseholdState> newKit(HouseholdSettings settings) {
    return newKit(settings, SERIALIZATION);
  }

  private EventSourcedBehaviorTestKit<Command, Event, HouseholdState> newKit(HouseholdSettings settings,
      SerializationSettings serialization) {
    return EventSourcedBehaviorTestKit.create(TEST_KIT.system(),
        Household.create(hh, RULES, clock, settings), serialization);
  }

  // ------------------------------------------------------------ every event type applies

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void registrationOfLabourCapableHouseholdPersistsZeroEmploymentAlertAndHelperDeadlineWithIt(
      boolean deepPovertyArea) {
    HouseholdRegistered reg = registered(T0, deepPovertyArea, spec("m1", LaborCapacity.ORDINARY));

    var result = record(reg);

    assertThat(result.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(describe(flat(result.events()))).containsExactly("household.registered",
        "raised 1 ZERO_EMPLOYMENT", "summary", "deadline " + T0.plus(HELPER_DEADLINE));
    assertThat(flat(result.events()).get(0)).isEqualTo(stored(reg));
    assertRaised(flat(result.events()).get(1), 1, AlertType.ZERO_EMPLOYMENT,
        deepPovertyArea ? Severity.CRITICAL : Severity.HIGH, null, null);
    assertThat(result.state().openAlerts()).extracting(Alert::alertId).containsExactly(alertId(1));
    assertThat(result.state().alerts().count()).isEqualTo(1);
    assertThat(result.state().scheduledDue()).isEqualTo(T0.plus(HELPER_DEADLINE));
  }

  @Test
  void registrationWithoutLabourCapableMemberRaisesNoAlert() {
    HouseholdRegistered reg = registered(T0, false,
        spec("m1", LaborCapacity.LOST), spec("m2", LaborCapacity.NONE));

    var result = record(reg);

    assertThat(result.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(describe(flat(result.events()))).containsExactly("household.registered", "summary");
    assertThat(result.state().openAlerts()).isEmpty();
  }

  @Test
  void registrationRecordsRegionDeepPovertyFlagAndMembers() {
    Instant eventTime = T0.minus(Duration.ofHours(2));

    HouseholdState s = record(registered(eventTime, true,
        spec("m1", LaborCapacity.ORDINARY), new MemberSpec("m2", LaborCapacity.WEAK, true))).state();

    assertThat(s.isRegistered()).isTrue();
    assertThat(s.regionCode()).isEqualTo(REGION);
    assertThat(s.deepPovertyArea()).isTrue();
    assertThat(s.registration().registeredAt()).isEqualTo(eventTime);
    assertThat(s.members()).containsOnlyKeys("m1", "m2");
    assertThat(s.members().get("m1"))
        .isEqualTo(new Member("m1", LaborCapacity.ORDINARY, false, null, null, eventTime));
    assertThat(s.members().get("m2"))
        .isEqualTo(new Member("m2", LaborCapacity.WEAK, true, eventTime, null, eventTime));
  }

  @Test
  void memberUpdatedAddsNewMemberAndChangesExistingOne() {
    accept(registered(T0, false, spec("m1", LaborCapacity.NONE)));
    Instant later = T0.plus(Duration.ofHours(1));

    var added = record(memberUpdated(later, "m2", LaborCapacity.SKILLED, null));
    var changed = record(memberUpdated(later, "m1", null, true));

    assertThat(added.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(added.state().members().get("m2"))
        .isEqualTo(new Member("m2", LaborCapacity.SKILLED, false, null, null, later));
    assertThat(describe(flat(added.events()))).containsExactly("member.updated", "raised 1 ZERO_EMPLOYMENT",
        "summary", "deadline " + T0.plus(HELPER_DEADLINE));
    assertRaised(flat(added.events()).get(1), 1, AlertType.ZERO_EMPLOYMENT, Severity.HIGH, null, null);
    assertThat(describe(flat(changed.events()))).containsExactly("member.updated");
    assertThat(changed.state().members().get("m1"))
        .isEqualTo(new Member("m1", LaborCapacity.NONE, true, later, null, later));
  }

  @Test
  void memberRemovedDropsMemberAndResolvesWhatOnlyItCaused() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY), spec("m2", LaborCapacity.NONE)));
    Instant removedAt = T0.plus(Duration.ofHours(1));
    clock.set(removedAt);
    MemberRemoved removal = memberRemoved(removedAt, "m1");

    var result = record(removal);

    assertThat(result.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(describe(flat(result.events())))
        .containsExactly("member.removed", "resolved 1", "summary", "deadline none");
    assertThat(flat(result.events()).get(0)).isEqualTo(stored(removal));
    assertThat(result.state().members()).containsOnlyKeys("m2");
    assertThat(result.state().roster().removed()).isEqualTo(Map.of("m1", removedAt));
    assertThat(result.state().openAlerts()).isEmpty();
  }

  @Test
  void placementStartedRecordsJobWithWorkScopeAndResolvesZeroEmployment() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    PlacementStarted start = new PlacementStarted(hh, meta("placement.started", T0), "m1", "p1",
        Channel.LABOR_COOPERATION, "Guiyang plant", "520102", date("2026-11-20"), date("2027-05-20"),
        3200L);

    var result = record(start);

    assertThat(result.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(describe(flat(result.events()))).containsExactly("placement.started", "resolved 1", "summary",
        "deadline " + startOf("2026-11-20").plus(VERIFICATION_INTERVAL));
    assertThat(flat(result.events()).get(0)).isEqualTo(stored(start));
    assertThat(result.state().placements().get("p1")).isEqualTo(new Placement("p1", "m1",
        Channel.LABOR_COOPERATION, "Guiyang plant", "520102", WorkScope.IN_PROVINCE,
        date("2026-11-20"), date("2027-05-20"), 3200L, null, null, null));
  }

  @Test
  void placementVerifiedMovesVerificationDateAndItsDeadline() {
    registerWithJob("m1", "p1", "2026-11-20");
    clock.set(at("2026-12-01T10:00"));
    PlacementVerified check = verified(clock.instant(), "p1", "2026-12-01");

    var result = record(check);

    assertThat(flat(result.events())).containsExactly(stored(check),
        new DeadlineScheduled(hh, startOf("2026-12-01").plus(VERIFICATION_INTERVAL)));
    assertThat(result.state().placements().get("p1").lastVerifiedOn()).isEqualTo(date("2026-12-01"));
  }

  @Test
  void placementEndedRaisesZeroEmploymentAndPlacementLapsedWithIt() {
    registerWithJob("m1", "p1", "2026-11-20");
    clock.set(at("2026-12-10T10:00"));
    PlacementEnded end = ended(clock.instant(), "p1", "2026-12-10");

    var result = record(end);

    assertThat(describe(flat(result.events()))).containsExactly("placement.ended", "raised 2 ZERO_EMPLOYMENT",
        "raised 3 PLACEMENT_LAPSED", "summary", "deadline " + clock.instant().plus(HELPER_DEADLINE));
    assertThat(flat(result.events()).get(0)).isEqualTo(stored(end));
    assertRaised(flat(result.events()).get(1), 2, AlertType.ZERO_EMPLOYMENT, Severity.HIGH, null, null);
    assertRaised(flat(result.events()).get(2), 3, AlertType.PLACEMENT_LAPSED, Severity.HIGH, "m1", "p1");
    Placement p1 = result.state().placements().get("p1");
    assertThat(p1.endDate()).isEqualTo(date("2026-12-10"));
    assertThat(p1.endReason()).isEqualTo(EndReason.CONTRACT_ENDED);
  }

  @Test
  void trainingEnrolledRecordsProgrammeAndLiftsTrainingDeadline() {
    accept(registered(T0, false, new MemberSpec("m1", LaborCapacity.NONE, true)));
    assertThat(kit.getState().scheduledDue()).isEqualTo(T0.plus(TRAINING_DEADLINE));
    TrainingEnrolled enrol = enrolled(T0, "m1", "weld-1", "2026-11-25");

    var result = record(enrol);

    assertThat(flat(result.events())).containsExactly(stored(enrol), new DeadlineScheduled(hh, null));
    assertThat(result.state().trainings())
        .containsExactly(new Training("m1", "weld-1", date("2026-11-25"), null, null));
    assertThat(result.state().members().get("m1").lastEnrolledOn()).isEqualTo(date("2026-11-25"));
  }

  @Test
  void trainingCompletedRecordsEndAndCertification() {
    accept(registered(T0, false, spec("m1", LaborCapacity.NONE), spec("m2", LaborCapacity.NONE)));
    accept(enrolled(T0, "m1", "weld-1", "2026-09-01"));
    TrainingCompleted done = completed(T0, "m1", "weld-1", "2026-11-15", true);

    var result = record(done);
    var withoutEnrolment = record(completed(T0, "m2", "sew-1", "2026-11-10", false));

    assertThat(flat(result.events())).containsExactly(stored(done));
    assertThat(result.state().trainings()).containsExactly(
        new Training("m1", "weld-1", date("2026-09-01"), date("2026-11-15"), true));
    // a completion nobody reported the enrolment of still counts as training
    assertThat(withoutEnrolment.state().members().get("m2").lastEnrolledOn())
        .isEqualTo(date("2026-11-10"));
  }

  @Test
  void helperAssignedRecordsHelperAndResolvesNoHelper() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    clock.set(T0.plus(HELPER_DEADLINE));
    checkDeadlines();
    clock.set(T0.plus(Duration.ofDays(8)));
    HelperAssigned helper = helper(clock.instant(), "h-7");

    var result = record(helper);

    // The statistics count whether a helper is assigned (the zero-employment export shows it).
    assertThat(describe(flat(result.events()))).containsExactly("helper.assigned", "resolved 2", "summary");
    assertThat(flat(result.events()).get(0)).isEqualTo(stored(helper));
    assertThat(result.state().summary().helperAssigned()).isTrue();
    assertThat(result.state().helper().helperId()).isEqualTo("h-7");
    assertThat(result.state().helper().helperName()).isEqualTo("helper h-7");
    assertThat(result.state().helper().assignedAt()).isEqualTo(clock.instant());
    assertThat(result.state().openAlerts()).extracting(Alert::type)
        .containsExactly(AlertType.ZERO_EMPLOYMENT);
  }

  @Test
  void householdClosedResolvesEveryOpenAlertAndDropsItsDeadline() {
    accept(registered(T0, false, new MemberSpec("m1", LaborCapacity.ORDINARY, true)));
    clock.set(T0.plus(Duration.ofDays(1)));
    HouseholdClosed close = closed(clock.instant());

    var result = record(close);

    assertThat(describe(flat(result.events())))
        .containsExactly("household.closed", "resolved 1", "summary", "deadline none");
    assertThat(flat(result.events()).get(0)).isEqualTo(stored(close));
    assertThat(result.state().closed()).isTrue();
    assertThat(result.state().registration().closedAt()).isEqualTo(clock.instant());
    assertThat(result.state().openAlerts()).isEmpty();

    clock.set(T0.plus(Duration.ofDays(365)));
    assertThat(checkDeadlines().hasNoEvents()).isTrue();
  }

  // ---------------------------------------------------------------------- rejections

  @ParameterizedTest
  @ValueSource(strings = {"member.updated", "member.removed", "placement.started",
      "placement.verified", "placement.ended", "training.enrolled", "training.completed",
      "helper.assigned", "household.closed"})
  void rejectsEventForUnregisteredHousehold(String type) {
    var result = record(sample(type, "m1", "p1"));

    assertRejected(result, "subject", false);
    assertSameState(result.state(), HouseholdState.empty(hh, 1000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"member.removed", "placement.started", "training.enrolled",
      "training.completed"})
  void rejectsEventNamingUnknownMember(String type) {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    HouseholdState before = kit.getState();

    var result = record(sample(type, "m9", "p9"));

    assertRejected(result, "data.memberId", false);
    assertSameState(result.state(), before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"placement.verified", "placement.ended"})
  void rejectsEventNamingUnknownPlacement(String type) {
    registerWithJob("m1", "p1", "2026-11-20");

    var result = record(sample(type, "m1", "p9"));

    assertRejected(result, "data.placementId", false);
  }

  @Test
  void rejectsPlacementIdThatBelongsToAnotherMember() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY), spec("m2", LaborCapacity.ORDINARY)));
    accept(placementStarted(T0, "m1", "p1", "2026-11-20", null));

    var result = record(placementStarted(T0, "m2", "p1", "2026-11-20", null));

    assertRejected(result, "data.placementId", false);
    assertThat(kit.getState().placements().get("p1").memberId()).isEqualTo("m1");
  }

  @Test
  void rejectsNewMemberWithoutLaborCapacityButAcceptsChangeToKnownOne() {
    accept(registered(T0, false, spec("m1", LaborCapacity.NONE)));

    var newMember = record(memberUpdated(T0, "m2", null, true));
    var knownMember = record(memberUpdated(T0, "m1", null, true));

    assertRejected(newMember, "data.laborCapacity", false);
    assertThat(knownMember.reply()).isEqualTo(RecordResult.ACCEPTED);
  }

  @Test
  void forbidsRegistrationInRegionOutsideCallersScope() {
    var result = record(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)), List.of("53", "5226"));

    assertRejected(result, "data.regionCode", true);
    assertThat(result.state().isRegistered()).isFalse();
  }

  @Test
  void forbidsEventsForHouseholdOutsideCallersScopeEvenWhenTheyMoveItIn() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));

    var placement = record(placementStarted(T0, "m1", "p1", "2026-11-20", null), List.of("5226"));
    var move = record(new HouseholdRegistered(hh, meta("household.registered", T0), "530102", false,
        List.of(spec("m1", LaborCapacity.ORDINARY))), List.of("53"));

    assertRejected(placement, "subject", true);
    assertRejected(move, "subject", true);
    assertThat(kit.getState().regionCode()).isEqualTo(REGION);
  }

  @Test
  void acceptsEventsFromCallerWhosePrefixCoversTheRegion() {
    var reg = record(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)), List.of("11", "52"));
    var job = record(placementStarted(T0, "m1", "p1", "2026-11-20", null), List.of("522701"));

    assertThat(reg.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(job.reply()).isEqualTo(RecordResult.ACCEPTED);
  }

  @Test
  void rejectedEventIsNotRememberedSoItsRetryIsAppliedOnceValid() {
    PlacementStarted early = placementStarted(T0, "m1", "p1", "2026-11-20", null);
    assertRejected(record(early), "subject", false);
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));

    assertThat(record(early).reply()).isEqualTo(RecordResult.ACCEPTED);
  }

  // ---------------------------------------------------------------------- idempotency

  @Test
  void repeatedSourceAndIdIsDuplicateAndPersistsNothing() {
    HouseholdRegistered reg = registered(T0, false, spec("m1", LaborCapacity.ORDINARY));
    accept(reg);
    HouseholdState before = kit.getState();
    HouseholdRegistered sameKeyOtherPayload = new HouseholdRegistered(hh, reg.meta(), "522702", true,
        List.of(spec("m2", LaborCapacity.SKILLED)));

    var repeat = record(reg);
    var changedRepeat = record(sameKeyOtherPayload);

    assertThat(repeat.reply()).isEqualTo(RecordResult.DUPLICATE);
    assertThat(repeat.hasNoEvents()).isTrue();
    assertThat(changedRepeat.reply()).isEqualTo(RecordResult.DUPLICATE);
    assertThat(changedRepeat.hasNoEvents()).isTrue();
    assertSameState(kit.getState(), before);
  }

  @Test
  void sameIdFromAnotherSourceIsNotDuplicate() {
    HouseholdRegistered reg = registered(T0, false, spec("m1", LaborCapacity.ORDINARY));
    accept(reg);
    EventMeta otherSource = new EventMeta("/integrators/other", reg.meta().id(), "member.updated", T0, null);

    var result = record(new MemberUpdated(hh, otherSource, "m2", LaborCapacity.WEAK, null));

    assertThat(result.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(result.state().members()).containsKey("m2");
  }

  @Test
  void callerOutsideScopeIsForbiddenEvenForAnEventIdAlreadySeen() {
    HouseholdRegistered reg = registered(T0, false, spec("m1", LaborCapacity.ORDINARY));
    accept(reg);

    var result = record(reg, List.of("53"));

    assertRejected(result, "subject", true);
  }

  // ------------------------------------------------------------------- event-time order

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-12", "2026-11-15"})
  void lateVerificationOfEndedPlacementDoesNotReviveIt(String verifiedOn) {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    accept(placementStarted(T0, "m1", "p1", "2026-11-01", null));
    accept(ended(at("2026-11-15T18:00"), "p1", "2026-11-15"));
    HouseholdState afterEnd = kit.getState();
    PlacementVerified late = verified(at("2026-11-12T09:00"), "p1", verifiedOn);

    var result = record(late);

    assertThat(result.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(flat(result.events())).containsExactly(stored(late));
    Placement p1 = result.state().placements().get("p1");
    assertThat(p1.endDate()).isEqualTo(date("2026-11-15"));
    assertThat(p1.lastVerifiedOn()).isEqualTo(date(verifiedOn));
    assertThat(result.state().openAlerts()).isEqualTo(afterEnd.openAlerts());
    assertThat(result.state().openAlerts()).extracting(Alert::type)
        .containsExactly(AlertType.ZERO_EMPLOYMENT, AlertType.PLACEMENT_LAPSED);
  }

  @Test
  void olderMemberUpdateDoesNotOverrideNewerOne() {
    accept(registered(T0.minus(Duration.ofDays(1)), false, spec("m1", LaborCapacity.ORDINARY)));
    accept(memberUpdated(T0, "m1", LaborCapacity.LOST, false));
    MemberUpdated older = memberUpdated(T0.minus(Duration.ofHours(1)), "m1", LaborCapacity.SKILLED, true);

    var result = record(older);

    assertThat(result.reply()).isEqualTo(RecordResult.ACCEPTED);
    assertThat(flat(result.events())).containsExactly(stored(older));
    assertThat(result.state().members().get("m1"))
        .isEqualTo(new Member("m1", LaborCapacity.LOST, false, null, null, T0));
    assertThat(result.state().openAlerts()).isEmpty();
  }

  // ----------------------------------------------------------------- deadline checks

  @Test
  void checkDeadlinesRaisesNoHelperAtHelperDeadlineAndNotBefore() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));

    clock.set(T0.plus(HELPER_DEADLINE).minus(NANO));
    var early = checkDeadlines();
    clock.set(T0.plus(HELPER_DEADLINE));
    var due = checkDeadlines();

    assertThat(early.reply()).isEqualTo(Done.getInstance());
    assertThat(early.hasNoEvents()).isTrue();
    assertThat(due.reply()).isEqualTo(Done.getInstance());
    assertThat(describe(flat(due.events()))).containsExactly("raised 2 NO_HELPER", "deadline none");
    assertRaised(flat(due.events()).get(0), 2, AlertType.NO_HELPER, Severity.WARNING, null, null);
  }

  @Test
  void checkDeadlinesRaisesTrainingPendingAtTrainingDeadline() {
    var reg = record(registered(T0, false, new MemberSpec("m1", LaborCapacity.NONE, true)));
    assertThat(flat(reg.events())).last().isEqualTo(new DeadlineScheduled(hh, T0.plus(TRAINING_DEADLINE)));

    clock.set(T0.plus(TRAINING_DEADLINE).minus(NANO));
    var early = checkDeadlines();
    clock.set(T0.plus(TRAINING_DEADLINE));
    var due = checkDeadlines();

    assertThat(early.hasNoEvents()).isTrue();
    assertThat(describe(flat(due.events()))).containsExactly("raised 1 TRAINING_PENDING", "deadline none");
    assertRaised(flat(due.events()).get(0), 1, AlertType.TRAINING_PENDING, Severity.WARNING, "m1", null);

    clock.set(T0.plus(Duration.ofDays(31)));
    var enrol = record(enrolled(clock.instant(), "m1", "weld-1", "2026-12-21"));
    assertThat(describe(flat(enrol.events()))).containsExactly("training.enrolled", "resolved 1");
  }

  @Test
  void checkDeadlinesRaisesPlacementLapsedWhenJobGoesUnverified() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    accept(helper(T0, "h-1"));
    accept(placementStarted(T0, "m1", "p1", "2026-11-20", null));
    Instant unverified = startOf("2026-11-20").plus(VERIFICATION_INTERVAL);
    assertThat(kit.getState().scheduledDue()).isEqualTo(unverified);

    clock.set(unverified.minus(NANO));
    var early = checkDeadlines();
    clock.set(unverified);
    var due = checkDeadlines();

    assertThat(early.hasNoEvents()).isTrue();
    assertThat(describe(flat(due.events()))).containsExactly("raised 2 ZERO_EMPLOYMENT",
        "raised 3 PLACEMENT_LAPSED", "summary", "deadline none");
    assertRaised(flat(due.events()).get(0), 2, AlertType.ZERO_EMPLOYMENT, Severity.HIGH, null, null);
    assertRaised(flat(due.events()).get(1), 3, AlertType.PLACEMENT_LAPSED, Severity.HIGH, "m1", "p1");

    clock.set(unverified.plus(Duration.ofHours(12)));
    var reverified = record(verified(clock.instant(), "p1", "2027-02-18"));
    assertThat(describe(flat(reverified.events()))).containsExactly("placement.verified", "resolved 2",
        "resolved 3", "summary", "deadline " + startOf("2027-02-18").plus(VERIFICATION_INTERVAL));
  }

  @Test
  void checkDeadlinesRaisesPlacementLapsedWhenExpectedEndPassesUnverified() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    accept(helper(T0, "h-1"));
    accept(placementStarted(T0, "m1", "p1", "2026-11-20", "2026-12-31"));
    Instant passes = startOf("2027-01-01");
    assertThat(kit.getState().scheduledDue()).isEqualTo(passes);

    clock.set(passes);
    var due = checkDeadlines();

    assertThat(describe(flat(due.events()))).containsExactly("raised 2 ZERO_EMPLOYMENT",
        "raised 3 PLACEMENT_LAPSED", "summary", "deadline none");
    assertRaised(flat(due.events()).get(0), 2, AlertType.ZERO_EMPLOYMENT, Severity.HIGH, null, null);
    assertRaised(flat(due.events()).get(1), 3, AlertType.PLACEMENT_LAPSED, Severity.HIGH, "m1", "p1");
  }

  @Test
  void checkDeadlinesWithNothingDuePersistsNothing() {
    accept(registered(T0, false, spec("m1", LaborCapacity.NONE)));
    clock.set(T0.plus(Duration.ofDays(400)));

    var result = checkDeadlines();

    assertThat(result.reply()).isEqualTo(Done.getInstance());
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void checkDeadlinesOnUnregisteredHouseholdPersistsNothing() {
    var result = checkDeadlines();

    assertThat(describe(flat(result.events()))).isEmpty();
  }

  // ------------------------------------------------------------------ acknowledgement

  @Test
  void acknowledgingOpenAlertPersistsAcknowledgement() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    clock.set(T0.plus(Duration.ofHours(1)));

    var result = acknowledge(alertId(1), "ops-1", List.of("52"));

    assertThat(result.reply().forbidden()).isFalse();
    Alert alert = result.reply().alert().orElseThrow();
    assertThat(flat(result.events())).containsExactly(
        new AlertAcknowledged(hh, alertId(1), "ops-1", "called the village", clock.instant(), alert));
    assertThat(alert.status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
    assertThat(alert.acknowledgedBy()).isEqualTo("ops-1");
    assertThat(alert.acknowledgedAt()).isEqualTo(clock.instant());
    assertThat(result.state().openAlerts()).containsExactly(alert);
  }

  @Test
  void acknowledgingTwiceIsNoOp() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    clock.set(T0.plus(Duration.ofHours(1)));
    Alert first = acknowledge(alertId(1), "ops-1", List.of()).reply().alert().orElseThrow();
    clock.set(T0.plus(Duration.ofHours(2)));

    var repeat = acknowledge(alertId(1), "ops-2", List.of());

    assertThat(repeat.hasNoEvents()).isTrue();
    assertThat(repeat.reply()).isEqualTo(new AckResult(Optional.of(first), false));
  }

  @Test
  void acknowledgingResolvedAlertAnswersItResolved() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    clock.set(T0.plus(Duration.ofHours(1)));
    accept(placementStarted(clock.instant(), "m1", "p1", "2026-11-20", null));

    var result = acknowledge(alertId(1), "ops-1", List.of());

    assertThat(result.hasNoEvents()).isTrue();
    Alert alert = result.reply().alert().orElseThrow();
    assertThat(alert.status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(alert.resolvedAt()).isEqualTo(clock.instant());
    assertThat(alert.acknowledgedAt()).isNull();
  }

  @Test
  void acknowledgingUnknownAlertAnswersEmpty() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));

    var result = acknowledge(alertId(99), "ops-1", List.of());

    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply()).isEqualTo(new AckResult(Optional.empty(), false));
  }

  @Test
  void acknowledgingAlertOutsideCallersScopeIsForbidden() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));

    var result = acknowledge(alertId(1), "ops-1", List.of("53"));

    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply()).isEqualTo(new AckResult(Optional.empty(), true));
    assertThat(kit.getState().openAlerts().get(0).status()).isEqualTo(AlertStatus.OPEN);
  }

  @Test
  void acknowledgedAlertResolvesKeepingItsAcknowledgement() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    clock.set(T0.plus(Duration.ofHours(1)));
    acknowledge(alertId(1), "ops-1", List.of());
    clock.set(T0.plus(Duration.ofHours(2)));

    var result = record(placementStarted(clock.instant(), "m1", "p1", "2026-11-20", null));

    assertThat(describe(flat(result.events()))).contains("resolved 1");
    Alert resolved = result.state().findAlert(alertId(1)).orElseThrow();
    assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(resolved.acknowledgedBy()).isEqualTo("ops-1");
    assertThat(resolved.acknowledgedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(resolved.resolvedAt()).isEqualTo(clock.instant());
  }

  // ------------------------------------------------------------------ statistics summary

  @Test
  void summaryIsPersistedWhenWhatStatisticsCountChangesAndOnlyThen() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY), spec("m2", LaborCapacity.LOST)));
    assertThat(kit.getState().summary())
        .isEqualTo(new HouseholdSummary(REGION, false, false, 1, true, List.of(), false));

    accept(placementStarted(T0, "m1", "p1", "2026-11-20", null));
    assertThat(kit.getState().summary()).isEqualTo(new HouseholdSummary(REGION, false, false, 1, false,
        List.of(new HouseholdSummary.Employment("m1", Channel.WORKSHOP, WorkScope.IN_COUNTY, 2026)), false));

    var verification = record(verified(T0, "p1", "2026-11-20"));
    assertThat(describe(flat(verification.events()))).containsExactly("placement.verified");
  }

  // --------------------------------------------------------------- alert identity

  @Test
  void conditionThatClearsAndComesBackGetsNewAlertId() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));
    accept(placementStarted(T0, "m1", "p1", "2026-11-20", null));
    clock.set(at("2026-12-10T10:00"));

    var result = record(ended(clock.instant(), "p1", "2026-12-10"));

    HouseholdState s = result.state();
    assertThat(s.openAlerts()).extracting(Alert::alertId, Alert::type).containsExactly(
        tuple(alertId(2), AlertType.ZERO_EMPLOYMENT),
        tuple(alertId(3), AlertType.PLACEMENT_LAPSED));
    assertThat(s.alerts().recentlyResolved()).extracting(Alert::alertId, Alert::type).containsExactly(
        tuple(alertId(1), AlertType.ZERO_EMPLOYMENT));
    assertThat(s.alerts().count()).isEqualTo(3);
  }

  @Test
  void conditionStillHoldingIsNotRaisedTwice() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));

    var again = record(memberUpdated(T0, "m2", LaborCapacity.WEAK, null));

    assertThat(flat(again.events())).noneMatch(e -> e instanceof AlertRaised);
    assertThat(again.state().openAlerts()).hasSize(1);
  }

  // ------------------------------------------------------------ recovery and storage

  @Test
  void restartYieldsTheSameState() {
    HouseholdRegistered first = richHistory();
    HouseholdState before = kit.getState();

    var restarted = kit.restart();

    assertSameState(restarted.state(), before);
    assertSameState(kit.getState(), before);
    assertThat(record(first).reply()).isEqualTo(RecordResult.DUPLICATE);
  }

  @Test
  void everyPersistedEventRoundTripsThroughCborUnchanged() {
    richHistory();
    List<Object> stored = new ArrayList<>();
    for (Object o : kit.persistenceTestKit().persistedInStorage(Household.persistenceIdOf(hh).id())) {
      stored.add(o instanceof Tagged t ? t.payload() : o);
    }
    // One row per input: an integrator event with what the rules derived, a deadline check, an acknowledgement.
    assertThat(stored).extracting(o -> o.getClass().getSimpleName())
        .containsOnly("Recorded", "Reevaluated", "AlertAcknowledged");
    assertThat(flat(stored.stream().map(Event.class::cast).toList()))
        .extracting(o -> o.getClass().getSimpleName()).contains(
        "HouseholdRegistered", "MemberUpdated", "MemberRemoved", "PlacementStarted",
        "PlacementVerified", "PlacementEnded", "TrainingEnrolled", "TrainingCompleted",
        "HelperAssigned", "HouseholdClosed", "AlertRaised", "AlertAcknowledged", "AlertResolved",
        "SummaryChanged", "DeadlineScheduled");

    for (Object event : stored) {
      assertThat(roundTrip(event)).as(event.getClass().getSimpleName()).isEqualTo(event);
    }
  }

  @Test
  void repliesAndControlCommandsRoundTripThroughCbor() {
    TestProbe<Object> probe = TEST_KIT.createTestProbe();
    richHistory();
    Alert alert = kit.getState().findAlert(alertId(1)).orElseThrow();
    List<Object> messages = List.of(
        RecordResult.ACCEPTED, RecordResult.DUPLICATE, RecordResult.rejected(new Household.Rejection(ErrorCode.FIELD_INVALID, "data.memberId: unknown")),
        RecordResult.rejected(new Household.Rejection(ErrorCode.REGION_FORBIDDEN, "subject: outside")),
        new AckResult(Optional.of(alert), false), new AckResult(Optional.empty(), true),
        new CheckDeadlines(probe.ref().narrow()),
        new AcknowledgeAlert(alertId(1), "ops-1", "note", List.of("52"), probe.ref().narrow()),
        new GetHousehold(probe.ref().narrow()));

    for (Object m : messages) {
      assertThat(roundTrip(m)).as(m.getClass().getSimpleName()).isEqualTo(m);
    }
  }

  @Test
  void stateRoundTripsThroughCbor() {
    richHistory();
    HouseholdState state = kit.getState();

    assertSameState((HouseholdState) roundTrip(state), state);
    assertSameState((HouseholdState) roundTrip(HouseholdState.empty(hh, 1000)), HouseholdState.empty(hh, 1000));
  }

  @Test
  void recordEventCommandRoundTripsThroughCbor() {
    TestProbe<RecordResult> probe = TEST_KIT.createTestProbe();
    RecordEvent command = new RecordEvent(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)),
        List.of("52"), probe.ref());

    assertThat(roundTrip(command)).isEqualTo(command);
  }

  @Test
  void entityPassesFullSerializationVerification() {
    hh = hh + "-full";
    kit = newKit(SETTINGS, EventSourcedBehaviorTestKit.enabledSerializationSettings());

    richHistory();
    kit.restart();

    assertThat(kit.getState().closed()).isTrue();
  }

  @Test
  void getHouseholdAnswersCurrentStateWithoutPersisting() {
    accept(registered(T0, false, spec("m1", LaborCapacity.ORDINARY)));

    CommandResultWithReply<Command, Event, HouseholdState, HouseholdState> result =
        kit.runCommand(GetHousehold::new);

    assertThat(result.hasNoEvents()).isTrue();
    assertSameState(result.reply(), kit.getState());
  }

  /** Every event type, an acknowledgement, a deadline check; returns the first event. */
  private HouseholdRegistered richHistory() {
    HouseholdRegistered reg = registered(T0, true, spec("m1", LaborCapacity.ORDINARY),
        new MemberSpec("m2", LaborCapacity.WEAK, true), spec("m3", LaborCapacity.NONE));
    accept(reg);
    accept(memberUpdated(T0, "m4", LaborCapacity.SKILLED, null));
    accept(memberRemoved(T0.plus(Duration.ofMinutes(5)), "m4"));
    acknowledge(alertId(1), "ops-1", List.of());
    clock.set(T0.plus(HELPER_DEADLINE));
    checkDeadlines();
    accept(helper(clock.instant(), "h-1"));
    accept(placementStarted(clock.instant(), "m1", "p1", "2026-11-27", "2027-05-27"));
    clock.set(at("2026-12-05T09:00"));
    accept(verified(clock.instant(), "p1", "2026-12-05"));
    accept(enrolled(clock.instant(), "m2", "weld-1", "2026-12-05"));
    accept(completed(clock.instant(), "m2", "weld-1", "2026-12-20", true));
    clock.set(at("2027-01-10T09:00"));
    accept(ended(clock.instant(), "p1", "2027-01-10"));
    accept(new PlacementStarted(hh, meta("placement.started", clock.instant()), "m2", "p2",
        Channel.OTHER_MIGRANT, null, "440300", date("2027-03-01"), null, null));
    clock.set(at("2027-02-01T09:00"));
    accept(closed(clock.instant()));
    return reg;
  }

  // -------------------------------------------------------------------------- helpers

  private CommandResultWithReply<Command, Event, HouseholdState, RecordResult> record(DomainEvent e) {
    return record(e, List.of());
  }

  private CommandResultWithReply<Command, Event, HouseholdState, RecordResult> record(DomainEvent e,
      List<String> scope) {
    return kit.runCommand(replyTo -> new RecordEvent(e, scope, replyTo));
  }

  private void accept(DomainEvent e) {
    assertThat(record(e).reply()).as("recording %s", e).isEqualTo(RecordResult.ACCEPTED);
  }

  private CommandResultWithReply<Command, Event, HouseholdState, Done> checkDeadlines() {
    return kit.runCommand(CheckDeadlines::new);
  }

  private CommandResultWithReply<Command, Event, HouseholdState, AckResult> acknowledge(String alertId,
      String by, List<String> scope) {
    return kit.runCommand(replyTo -> new AcknowledgeAlert(alertId, by, "called the village", scope, replyTo));
  }

  private void registerWithJob(String member, String placement, String startDate) {
    accept(registered(T0, false, spec(member, LaborCapacity.ORDINARY)));
    accept(placementStarted(T0, member, placement, startDate, null));
  }

  private static void assertRejected(
      CommandResultWithReply<Command, Event, HouseholdState, RecordResult> result, String field,
      boolean forbidden) {
    assertThat(result.reply().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.reply().error()).contains(field);
    assertThat(result.reply().forbidden()).isEqualTo(forbidden);
    assertThat(result.hasNoEvents()).isTrue();
  }

  private void assertRaised(Event event, long n, AlertType type, Severity severity, String member,
      String placement) {
    assertThat(event).isInstanceOf(AlertRaised.class);
    Alert actual = ((AlertRaised) event).alert();
    assertThat(((AlertRaised) event).householdId()).isEqualTo(hh);
    assertThat(actual).isEqualTo(new Alert(alertId(n), type, severity, AlertStatus.OPEN, hh, member,
        placement, REGION, clock.instant(), null, null, null, actual.summary(), null, null));
    assertThat(actual.summary()).isNotBlank();
  }

  /**
   * What was persisted, one short line per event: the integrator event's type, alert changes by
   * alert number, "summary", and deadlines. An alert event whose carried alert disagrees with the
   * change it records is marked so the comparison fails.
   */
  private List<String> describe(List<Event> events) {
    List<String> lines = new ArrayList<>();
    for (Event e : flat(events)) {
      assertThat(e.householdId()).isEqualTo(hh);
      if (e instanceof DomainEvent d) {
        lines.add(d.meta().type());
      } else if (e instanceof AlertRaised r) {
        lines.add("raised " + number(r.alert().alertId()) + " " + r.alert().type());
      } else if (e instanceof AlertResolved r) {
        boolean consistent = r.alert().alertId().equals(r.alertId())
            && r.alert().status() == AlertStatus.RESOLVED && r.at().equals(r.alert().resolvedAt());
        lines.add("resolved " + number(r.alertId()) + (consistent ? "" : " INCONSISTENT " + r.alert()));
      } else if (e instanceof AlertAcknowledged a) {
        boolean consistent = a.alert().alertId().equals(a.alertId())
            && a.alert().status() == AlertStatus.ACKNOWLEDGED && a.at().equals(a.alert().acknowledgedAt());
        lines.add("acknowledged " + number(a.alertId()) + (consistent ? "" : " INCONSISTENT " + a.alert()));
      } else if (e instanceof SummaryChanged) {
        lines.add("summary");
      } else if (e instanceof DeadlineScheduled d) {
        lines.add("deadline " + (d.dueAt() == null ? "none" : d.dueAt()));
      } else {
        lines.add(e.toString());
      }
    }
    return lines;
  }

  private String number(String id) {
    assertThat(Alert.householdOf(id)).isEqualTo(hh);
    return id.substring(id.lastIndexOf(Alert.ID_SEPARATOR) + 1);
  }

  private static void assertSameState(HouseholdState actual, HouseholdState expected) {
    assertThat(actual).isEqualTo(expected);
  }

  /**
   * The stored events, with each input's derivations as the separate events the previous release
   * stored: the domain event, then alerts raised / resolved / acknowledged, summary, deadline.
   */
  static List<Event> flat(List<Event> events) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      Household.Derivation derived = null;
      if (e instanceof Household.Recorded r) {
        out.add(r.event());
        derived = r.derived();
      } else if (e instanceof Household.Reevaluated r) {
        derived = r.derived();
      } else {
        out.add(e);
      }
      if (derived != null) {
        for (Household.AlertChange c : derived.alerts()) {
          Alert a = c.alert();
          out.add(switch (c.kind()) {
            case RAISED -> new AlertRaised(e.householdId(), a);
            case RESOLVED -> new AlertResolved(e.householdId(), a.alertId(), a.resolvedAt(), a);
            case ACKNOWLEDGED -> new AlertAcknowledged(e.householdId(), a.alertId(), a.acknowledgedBy(), null,
                a.acknowledgedAt(), a);
            case ESCALATED -> throw new AssertionError("an escalation has no event of the previous release: " + a);
          });
        }
        if (derived.summary() != null) {
          out.add(new SummaryChanged(e.householdId(), derived.summary().after()));
        }
        if (derived.deadline() != null) {
          out.add(new DeadlineScheduled(e.householdId(), derived.deadline().dueAt()));
        }
      }
    }
    return out;
  }

  private static Object roundTrip(Object o) {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(TEST_KIT.system()));
    Serializer serializer = serialization.findSerializerFor(o);
    assertThat(serializer).as(o.getClass().getName()).isInstanceOf(JacksonCborSerializer.class);
    byte[] bytes = serialization.serialize(o).get();
    return serialization.deserialize(bytes, serializer.identifier(),
        Serializers.manifestFor(serializer, o)).get();
  }

  private String alertId(long n) {
    return Alert.idFor(hh, n);
  }

  private DomainEvent stored(DomainEvent e) {
    return e.withMeta(e.meta().recordedAt(clock.instant()));
  }

  private EventMeta meta(String type, Instant time) {
    return new EventMeta(SOURCE, "evt-" + (++eventSeq), type, time, null);
  }

  /** A valid event of {@code type} naming {@code member} and {@code placement}. */
  private DomainEvent sample(String type, String member, String placement) {
    return switch (type) {
      case "member.updated" -> memberUpdated(T0, member, LaborCapacity.ORDINARY, null);
      case "member.removed" -> memberRemoved(T0, member);
      case "placement.started" -> placementStarted(T0, member, placement, "2026-11-20", null);
      case "placement.verified" -> verified(T0, placement, "2026-11-20");
      case "placement.ended" -> ended(T0, placement, "2026-11-20");
      case "training.enrolled" -> enrolled(T0, member, "weld-1", "2026-11-20");
      case "training.completed" -> completed(T0, member, "weld-1", "2026-11-20", true);
      case "helper.assigned" -> helper(T0, "h-1");
      case "household.closed" -> closed(T0);
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static MemberSpec spec(String member, LaborCapacity capacity) {
    return new MemberSpec(member, capacity, false);
  }

  private HouseholdRegistered registered(Instant at, boolean deep, MemberSpec... members) {
    return new HouseholdRegistered(hh, meta("household.registered", at), REGION, deep, List.of(members));
  }

  private MemberUpdated memberUpdated(Instant at, String member, LaborCapacity capacity, Boolean wants) {
    return new MemberUpdated(hh, meta("member.updated", at), member, capacity, wants);
  }

  private MemberRemoved memberRemoved(Instant at, String member) {
    return new MemberRemoved(hh, meta("member.removed", at), member, "moved out");
  }

  private PlacementStarted placementStarted(Instant at, String member, String placement, String start,
      String expectedEnd) {
    return new PlacementStarted(hh, meta("placement.started", at), member, placement, Channel.WORKSHOP,
        "Anshun bamboo workshop", REGION, date(start), date(expectedEnd), 2500L);
  }

  private PlacementVerified verified(Instant at, String placement, String on) {
    return new PlacementVerified(hh, meta("placement.verified", at), placement, date(on));
  }

  private PlacementEnded ended(Instant at, String placement, String on) {
    return new PlacementEnded(hh, meta("placement.ended", at), placement, date(on), EndReason.CONTRACT_ENDED);
  }

  private TrainingEnrolled enrolled(Instant at, String member, String programme, String start) {
    return new TrainingEnrolled(hh, meta("training.enrolled", at), member, programme, date(start));
  }

  private TrainingCompleted completed(Instant at, String member, String programme, String end,
      Boolean certified) {
    return new TrainingCompleted(hh, meta("training.completed", at), member, programme, date(end), certified);
  }

  private HelperAssigned helper(Instant at, String helperId) {
    return new HelperAssigned(hh, meta("helper.assigned", at), helperId, "helper " + helperId);
  }

  private HouseholdClosed closed(Instant at) {
    return new HouseholdClosed(hh, meta("household.closed", at), "moved");
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
}
