package cn.emon.household;

import cn.emon.CborSerializable;
import cn.emon.ErrorCode;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import cn.emon.alerting.AlertKey;
import cn.emon.alerting.AlertRules;
import cn.emon.alerting.Channel;
import cn.emon.alerting.EndReason;
import cn.emon.alerting.Evaluation;
import cn.emon.alerting.Finding;
import cn.emon.alerting.LaborCapacity;
import cn.emon.alerting.Placement;
import cn.emon.alerting.PlacementStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The household entity (建档立卡户): the only writer of truth. It applies employment events,
 * evaluates the alert rules and persists each domain event together with the alert events it
 * causes, replying only after the write.
 */
public final class Household
    extends EventSourcedBehaviorWithEnforcedReplies<Household.Command, Household.Event, HouseholdState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Household");

  /**
   * Journal tag slices for the projections. The count is a compatibility decision: changing it
   * re-homes every household's future events and needs a projection migration.
   */
  public static final int SLICES = 8;

  public static final List<String> TAGS = IntStream.range(0, SLICES)
      .mapToObj(i -> "households-" + i).collect(Collectors.toUnmodifiableList());

  public static int sliceOf(String householdId) {
    return Math.floorMod(householdId.hashCode(), SLICES);
  }

  public static String tagOf(String householdId) {
    return TAGS.get(sliceOf(householdId));
  }

  public static PersistenceId persistenceIdOf(String householdId) {
    return PersistenceId.of(ENTITY_TYPE_KEY.name(), householdId);
  }

  // ---------------------------------------------------------------------------------- commands

  /** A message to a household entity. */
  public sealed interface Command extends CborSerializable
      permits RecordEvent, CheckDeadlines, AcknowledgeAlert, GetHousehold {}

  /**
   * Applies one integrator event. {@code regionScope} holds the caller's region prefixes; empty
   * means every region.
   */
  public record RecordEvent(DomainEvent event, List<String> regionScope, ActorRef<RecordResult> replyTo)
      implements Command {}

  /** Re-evaluates the time-based rules at the entity's clock; sent by the deadline scanner. */
  public record CheckDeadlines(ActorRef<Done> replyTo) implements Command {}

  /** Acknowledges an open alert of this household, for a caller bound to {@code regionScope}. */
  public record AcknowledgeAlert(String alertId, String by, String note, List<String> regionScope,
      ActorRef<AckResult> replyTo) implements Command {}

  /** Asks for the current state. */
  public record GetHousehold(ActorRef<HouseholdState> replyTo) implements Command {}

  // ----------------------------------------------------------------------------------- replies

  /**
   * Outcome of a {@link RecordEvent}. {@code code} and {@code error} (naming the field) are set for
   * rejections only; {@link ErrorCode#REGION_FORBIDDEN} when the household lies outside the caller's
   * regions.
   */
  public record RecordResult(Outcome outcome, ErrorCode code, String error) implements CborSerializable {
    public static final RecordResult ACCEPTED = new RecordResult(Outcome.ACCEPTED, null, null);
    public static final RecordResult DUPLICATE = new RecordResult(Outcome.DUPLICATE, null, null);

    public static RecordResult rejected(Rejection rejection) {
      return new RecordResult(Outcome.REJECTED, rejection.code(), rejection.error());
    }

    public boolean forbidden() {
      return code == ErrorCode.REGION_FORBIDDEN;
    }
  }

  /** Why an event is not stored: a stable code and a message naming the field. */
  public record Rejection(ErrorCode code, String error) {}

  /** accepted (stored), duplicate (seen before, nothing changed) or rejected (not stored). */
  public enum Outcome { ACCEPTED, DUPLICATE, REJECTED }

  /**
   * Outcome of an {@link AcknowledgeAlert}: the alert as it now stands, or empty when unknown;
   * {@code forbidden} when the household lies outside the caller's regions.
   */
  public record AckResult(Optional<Alert> alert, boolean forbidden) implements CborSerializable {}

  // ------------------------------------------------------------------------------------ events

  /** Everything this entity persists. */
  public sealed interface Event extends CborSerializable
      permits DomainEvent, AlertRaised, AlertAcknowledged, AlertResolved, DeadlineScheduled, SummaryChanged {
    String householdId();
  }

  /**
   * Identity and time of an integrator's event: {@code (source, id)} is the idempotency key,
   * {@code time} when it happened, {@code recordedAt} when this entity stored it.
   */
  public record EventMeta(String source, String id, String type, Instant time, Instant recordedAt) {
    String dedupeKey() {
      return source + '\u0000' + id;
    }

    EventMeta recordedAt(Instant at) {
      return new EventMeta(source, id, type, time, at);
    }
  }

  /**
   * An event that came from an integrator (CONTRACT §3). Typed by name in JSON, because a
   * {@link RecordEvent} carries it to whichever node hosts the household.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = HouseholdRegistered.class, name = "household.registered"),
      @JsonSubTypes.Type(value = MemberUpdated.class, name = "member.updated"),
      @JsonSubTypes.Type(value = MemberRemoved.class, name = "member.removed"),
      @JsonSubTypes.Type(value = PlacementStarted.class, name = "placement.started"),
      @JsonSubTypes.Type(value = PlacementVerified.class, name = "placement.verified"),
      @JsonSubTypes.Type(value = PlacementEnded.class, name = "placement.ended"),
      @JsonSubTypes.Type(value = TrainingEnrolled.class, name = "training.enrolled"),
      @JsonSubTypes.Type(value = TrainingCompleted.class, name = "training.completed"),
      @JsonSubTypes.Type(value = HelperAssigned.class, name = "helper.assigned"),
      @JsonSubTypes.Type(value = HouseholdClosed.class, name = "household.closed")})
  public sealed interface DomainEvent extends Event
      permits HouseholdRegistered, MemberUpdated, MemberRemoved, PlacementStarted, PlacementVerified,
          PlacementEnded, TrainingEnrolled, TrainingCompleted, HelperAssigned, HouseholdClosed {
    EventMeta meta();

    DomainEvent withMeta(EventMeta meta);
  }

  /** One member as listed in a registration. */
  public record MemberSpec(String memberId, LaborCapacity laborCapacity, boolean wantsTraining) {}

  /** household.registered: enters monitoring, or updates region and members. */
  public record HouseholdRegistered(String householdId, EventMeta meta, String regionCode,
      boolean deepPovertyArea, List<MemberSpec> members) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new HouseholdRegistered(householdId, m, regionCode, deepPovertyArea, members);
    }
  }

  /** member.updated: adds or changes one member; null fields stay as they were. */
  public record MemberUpdated(String householdId, EventMeta meta, String memberId,
      LaborCapacity laborCapacity, Boolean wantsTraining) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new MemberUpdated(householdId, m, memberId, laborCapacity, wantsTraining);
    }
  }

  /** member.removed: the member left the household. */
  public record MemberRemoved(String householdId, EventMeta meta, String memberId, String reason)
      implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new MemberRemoved(householdId, m, memberId, reason);
    }
  }

  /** placement.started: a member starts a job (repeating it updates the job's details). */
  public record PlacementStarted(String householdId, EventMeta meta, String memberId, String placementId,
      Channel channel, String employer, String workRegionCode, LocalDate startDate,
      LocalDate expectedEndDate, Long monthlyIncomeYuan) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new PlacementStarted(householdId, m, memberId, placementId, channel, employer,
          workRegionCode, startDate, expectedEndDate, monthlyIncomeYuan);
    }
  }

  /** placement.verified: the job was checked and is still held (在岗核验). */
  public record PlacementVerified(String householdId, EventMeta meta, String placementId,
      LocalDate verifiedOn) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new PlacementVerified(householdId, m, placementId, verifiedOn);
    }
  }

  /** placement.ended: the job ended. */
  public record PlacementEnded(String householdId, EventMeta meta, String placementId,
      LocalDate endDate, EndReason reason) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new PlacementEnded(householdId, m, placementId, endDate, reason);
    }
  }

  /** training.enrolled: vocational training or technical school. */
  public record TrainingEnrolled(String householdId, EventMeta meta, String memberId, String programId,
      LocalDate startDate) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new TrainingEnrolled(householdId, m, memberId, programId, startDate);
    }
  }

  /** training.completed. */
  public record TrainingCompleted(String householdId, EventMeta meta, String memberId, String programId,
      LocalDate endDate, Boolean certified) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new TrainingCompleted(householdId, m, memberId, programId, endDate, certified);
    }
  }

  /**
   * helper.assigned: the one-on-one helper (一对一帮扶责任人). The name is kept for the household's
   * own view and history (read role, region-scoped); alerts, webhooks, metrics and logs carry the
   * helper id at most.
   */
  public record HelperAssigned(String householdId, EventMeta meta, String helperId, String helperName)
      implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new HelperAssigned(householdId, m, helperId, helperName);
    }
  }

  /** household.closed: monitoring ends; open alerts resolve. */
  public record HouseholdClosed(String householdId, EventMeta meta, String reason) implements DomainEvent {
    public DomainEvent withMeta(EventMeta m) {
      return new HouseholdClosed(householdId, m, reason);
    }
  }

  /** An alert condition began to hold. */
  public record AlertRaised(String householdId, Alert alert) implements Event {}

  /**
   * Someone acknowledged an open alert; {@code by} is an account id, not a person's name.
   * {@code alert} is the alert as it stands after, so projections need no other source.
   */
  public record AlertAcknowledged(String householdId, String alertId, String by, String note, Instant at,
      Alert alert) implements Event {}

  /** An alert condition stopped holding; {@code alert} is the alert as it stands after. */
  public record AlertResolved(String householdId, String alertId, Instant at, Alert alert) implements Event {}

  /** What the region statistics count of this household changed. */
  public record SummaryChanged(String householdId, HouseholdSummary summary) implements Event {}

  /**
   * The next instant at which the time-based rules may change this household's alerts, or null
   * for none; the deadline index projects it and the scanner wakes the household then.
   */
  public record DeadlineScheduled(String householdId, Instant dueAt) implements Event {}

  // ------------------------------------------------------------------------------------ entity

  /** Registers the entity with Cluster Sharding. */
  public static void init(ActorSystem<?> system, AlertRules rules, Clock clock, HouseholdSettings settings) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
        ctx -> create(ctx.getEntityId(), rules, clock, settings)));
  }

  public static Behavior<Command> create(String householdId, AlertRules rules, Clock clock,
      HouseholdSettings settings) {
    return new Household(householdId, rules, clock, settings);
  }

  private final String householdId;
  private final AlertRules rules;
  private final Clock clock;
  private final HouseholdSettings settings;

  private Household(String householdId, AlertRules rules, Clock clock, HouseholdSettings settings) {
    super(persistenceIdOf(householdId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.householdId = householdId;
    this.rules = rules;
    this.clock = clock;
    this.settings = settings;
  }

  /** Now, in milliseconds: alert times read the same from the entity, the read model and webhooks. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  @Override
  public HouseholdState emptyState() {
    return HouseholdState.empty(householdId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagOf(householdId));
  }

  /**
   * Snapshots only speed up recovery; events are never deleted (pekko-persistence-jdbc 1.1.1 stops
   * recovery silently at a gap in sequence numbers).
   */
  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, HouseholdState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(RecordEvent.class, this::onRecordEvent)
        .onCommand(CheckDeadlines.class, this::onCheckDeadlines)
        .onCommand(AcknowledgeAlert.class, this::onAcknowledge)
        .onCommand(GetHousehold.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  private ReplyEffect<Event, HouseholdState> onRecordEvent(HouseholdState state, RecordEvent cmd) {
    DomainEvent event = cmd.event();
    // Scope first: a caller outside the household's regions learns nothing, not even whether an
    // event id was seen.
    Optional<Rejection> outOfScope = state.outsideScope(event, cmd.regionScope());
    if (outOfScope.isPresent()) {
      return Effect().reply(cmd.replyTo(), RecordResult.rejected(outOfScope.get()));
    }
    if (state.recentIds().contains(event.meta().dedupeKey())) {
      return Effect().reply(cmd.replyTo(), RecordResult.DUPLICATE);
    }
    Optional<Rejection> problem = state.problemWith(event);
    if (problem.isPresent()) {
      return Effect().reply(cmd.replyTo(), RecordResult.rejected(problem.get()));
    }
    Instant now = now();
    DomainEvent stored = event.withMeta(event.meta().recordedAt(now));
    List<Event> events = new ArrayList<>();
    events.add(stored);
    events.addAll(alertChanges(state.apply(stored, settings.dedupeWindow()), now));
    return Effect().persist(events).thenReply(cmd.replyTo(), s -> RecordResult.ACCEPTED);
  }

  private ReplyEffect<Event, HouseholdState> onCheckDeadlines(HouseholdState state, CheckDeadlines cmd) {
    List<Event> changes = alertChanges(state, now());
    if (changes.isEmpty()) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    return Effect().persist(changes).thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  private ReplyEffect<Event, HouseholdState> onAcknowledge(HouseholdState state, AcknowledgeAlert cmd) {
    Optional<Alert> known = state.findAlert(cmd.alertId());
    if (known.isPresent() && !HouseholdState.inScope(known.get().regionCode(), cmd.regionScope())) {
      return Effect().reply(cmd.replyTo(), new AckResult(Optional.empty(), true));
    }
    if (known.isEmpty() || known.get().status() != AlertStatus.OPEN) {
      // A repeat is a no-op; a resolved alert stays resolved.
      return Effect().reply(cmd.replyTo(), new AckResult(known, false));
    }
    Instant now = now();
    return Effect()
        .persist(new AlertAcknowledged(householdId, cmd.alertId(), cmd.by(), cmd.note(), now,
            known.get().acknowledged(cmd.by(), now)))
        .thenReply(cmd.replyTo(), s -> new AckResult(s.findAlert(cmd.alertId()), false));
  }

  /**
   * The events that bring what the state derives in line with {@code now}: alerts raised and
   * resolved by the rules, a new summary when the statistics would count the household
   * differently, and a new deadline when the next due time moved.
   */
  private List<Event> alertChanges(HouseholdState state, Instant now) {
    if (!state.isRegistered()) {
      return List.of(); // a deadline check can wake a household that was never registered
    }
    Map<AlertKey, Instant> openSince = new HashMap<>();
    for (Alert a : state.openAlerts()) {
      openSince.put(a.key(), a.raisedAt());
    }
    Evaluation evaluation = rules.evaluate(state.facts(), openSince, now);
    List<Event> changes = new ArrayList<>();
    Set<AlertKey> holding = evaluation.findings().stream().map(Finding::key).collect(Collectors.toSet());
    for (Alert open : state.openAlerts()) {
      if (!holding.contains(open.key())) {
        changes.add(new AlertResolved(householdId, open.alertId(), now, open.resolved(now)));
      }
    }
    long next = state.alertCount();
    for (Finding f : evaluation.findings()) {
      if (!openSince.containsKey(f.key())) {
        next++;
        changes.add(new AlertRaised(householdId, new Alert(Alert.idFor(householdId, next),
            f.key().type(), f.severity(), AlertStatus.OPEN, householdId, f.key().memberId(),
            f.key().placementId(), state.regionCode(), now, null, null, null, f.summary())));
      }
    }
    HouseholdSummary summary = summarize(state, now);
    if (!summary.equals(state.summary())) {
      changes.add(new SummaryChanged(householdId, summary));
    }
    Instant due = evaluation.nextDue().orElse(null);
    if (!java.util.Objects.equals(due, state.scheduledDue())) {
      changes.add(new DeadlineScheduled(householdId, due));
    }
    return changes;
  }

  /** The household as the statistics count it at {@code now}; placements change status with time. */
  private HouseholdSummary summarize(HouseholdState state, Instant now) {
    Map<String, HouseholdSummary.Employment> employed = new java.util.TreeMap<>();
    for (Placement p : state.placements().values()) {
      if (state.members().containsKey(p.memberId()) && rules.status(p, now) == PlacementStatus.ACTIVE) {
        HouseholdSummary.Employment current = employed.get(p.memberId());
        if (current == null || p.startDate().getYear() < current.startYear()) {
          employed.put(p.memberId(), new HouseholdSummary.Employment(p.memberId(), p.channel(),
              p.workScope(), p.startDate().getYear()));
        }
      }
    }
    int labourCapable = (int) state.members().values().stream()
        .filter(m -> m.laborCapacity().isLabourCapable()).count();
    return new HouseholdSummary(state.regionCode(), state.deepPovertyArea(), state.closed(), labourCapable,
        !state.closed() && labourCapable > 0 && employed.isEmpty(), List.copyOf(employed.values()),
        state.helperId() != null);
  }

  @Override
  public EventHandler<HouseholdState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(DomainEvent.class, (state, e) -> state.apply(e, settings.dedupeWindow()))
        .onEvent(AlertRaised.class, (state, e) -> state.raise(e.alert()))
        .onEvent(AlertAcknowledged.class, (state, e) -> state.acknowledge(e.alertId(), e.by(), e.at()))
        .onEvent(AlertResolved.class, (state, e) -> state.resolve(e.alertId(), e.at()))
        .onEvent(DeadlineScheduled.class, (state, e) -> state.scheduled(e.dueAt()))
        .onEvent(SummaryChanged.class, (state, e) -> state.summarized(e.summary()))
        .build();
  }
}
