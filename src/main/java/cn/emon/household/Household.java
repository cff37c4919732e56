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
import cn.emon.region.RegionCode;
import cn.emon.alerting.LaborCapacity;
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
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;

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
      permits RecordEvents, RecordEvent, CheckDeadlines, AcknowledgeAlert, GetHousehold {}

  /**
   * Applies integrator events of this household, in order, and stores those accepted in one write;
   * the reply, one result per event, comes after the write. {@code regionScope} holds the caller's
   * region prefixes; empty means every region.
   */
  public record RecordEvents(List<DomainEvent> events, List<String> regionScope, ActorRef<RecordResults> replyTo)
      implements Command {}

  /** One event, as {@link RecordEvents} of one (kept for callers that send a single event). */
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

  /** Outcomes of a {@link RecordEvents}, in the order of its events. */
  public record RecordResults(List<RecordResult> results) implements CborSerializable {}

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
      permits Recorded, Reevaluated, AlertAcknowledged,
          DomainEvent, AlertRaised, AlertResolved, DeadlineScheduled, SummaryChanged {
    String householdId();

    /** What this event changed, as the projections fold it. */
    Changes changes();
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

    /** Stored alone, as the previous release did; this release stores it inside {@link Recorded}. */
    @Override
    default Changes changes() {
      return new Changes(householdId(), this, List.of(), null, true, null);
    }
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

  // -------------------------------------------------------------- what one input stores

  /**
   * One integrator event as stored, with what the rules derived from it: the only journal row an
   * input event writes. The derivation is stored, never recomputed on replay: a change of rule
   * settings must not rewrite history.
   */
  public record Recorded(String householdId, DomainEvent event, Derivation derived) implements Event {
    @Override
    public Changes changes() {
      return new Changes(householdId, event, derived.alerts(), derived.summary(), true, derived.deadline());
    }
  }

  /** What the rules derived at {@code at} with no new input: deadlines that came due. */
  public record Reevaluated(String householdId, Instant at, Derivation derived) implements Event {
    @Override
    public Changes changes() {
      return new Changes(householdId, null, derived.alerts(), derived.summary(), true, derived.deadline());
    }
  }

  /**
   * Someone acknowledged an open alert; {@code by} is an account id, not a person's name.
   * {@code alert} is the alert as it stands after, so projections need no other source.
   */
  public record AlertAcknowledged(String householdId, String alertId, String by, String note, Instant at,
      Alert alert) implements Event {
    @Override
    public Changes changes() {
      return Changes.alerts(householdId, List.of(new AlertChange(AlertChange.Kind.ACKNOWLEDGED, alert)));
    }
  }

  /**
   * What the rules derived from one input, in the order it happened.
   *
   * @param alerts alerts raised and resolved, each as it stands after the change
   * @param summary the statistics' view of the household, before and after; null when unchanged
   * @param deadline the next due time, when it moved; null when unchanged
   */
  public record Derivation(List<AlertChange> alerts, SummaryChange summary, Deadline deadline) {
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
      return alerts.isEmpty() && summary == null && deadline == null;
    }
  }

  /** One change of one alert; {@code alert} is the alert as it stands after the change. */
  public record AlertChange(Kind kind, Alert alert) {
    /** What happened to the alert. */
    public enum Kind { RAISED, ACKNOWLEDGED, RESOLVED, ESCALATED }
  }

  /**
   * The household as the statistics count it, before and after an input; {@code before} is null for
   * the household's first summary. Carrying both lets the read model apply the delta without
   * reading what it counted last.
   */
  public record SummaryChange(HouseholdSummary before, HouseholdSummary after) {}

  /** The next instant the time-based rules may change this household (null: none). */
  public record Deadline(Instant dueAt) {}

  /**
   * What one stored event changed, in the one shape every projection folds, whichever release
   * stored it (the previous one stored an input and each thing derived from it as separate events).
   *
   * @param input the integrator event, or null (a deadline check, an acknowledgement, a derived event)
   * @param summary null when unchanged
   * @param summaryBeforeKnown false for a summary the previous release stored alone: its
   *     {@code before} is not in the event, the read model must look it up
   * @param deadline null when unchanged
   */
  public record Changes(String householdId, DomainEvent input, List<AlertChange> alerts, SummaryChange summary,
      boolean summaryBeforeKnown, Deadline deadline) {

    static Changes alerts(String householdId, List<AlertChange> alerts) {
      return new Changes(householdId, null, alerts, null, true, null);
    }
  }

  // ---------------------------------------- events the previous release stored (replayed only)
  // Histories written by the release of 2026-11 keep these rows; they recover and project as
  // before, and nothing writes them any more.

  /** An alert condition began to hold (stored alone by the previous release). */
  public record AlertRaised(String householdId, Alert alert) implements Event {
    @Override
    public Changes changes() {
      return Changes.alerts(householdId, List.of(new AlertChange(AlertChange.Kind.RAISED, alert)));
    }
  }

  /** An alert condition stopped holding (stored alone by the previous release). */
  public record AlertResolved(String householdId, String alertId, Instant at, Alert alert) implements Event {
    @Override
    public Changes changes() {
      return Changes.alerts(householdId, List.of(new AlertChange(AlertChange.Kind.RESOLVED, alert)));
    }
  }

  /** What the region statistics count of this household changed (stored alone by the previous release). */
  public record SummaryChanged(String householdId, HouseholdSummary summary) implements Event {
    @Override
    public Changes changes() {
      return new Changes(householdId, null, List.of(), new SummaryChange(null, summary), false, null);
    }
  }

  /** The next due time moved (stored alone by the previous release). */
  public record DeadlineScheduled(String householdId, Instant dueAt) implements Event {
    @Override
    public Changes changes() {
      return new Changes(householdId, null, List.of(), null, true, new Deadline(dueAt));
    }
  }

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
    return HouseholdState.empty(householdId, settings.dedupeWindow());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagOf(householdId));
  }

  /**
   * No snapshots: a household stores one row per input, so its history stays short and replays
   * faster than a snapshot loads (measured: load-tests/README.md). Events are never deleted
   * (pekko-persistence-jdbc 1.1.1 stops recovery silently at a gap in sequence numbers), and the
   * snapshots the previous release wrote are not read.
   */
  @Override
  public Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, HouseholdState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(RecordEvents.class, this::onRecordEvents)
        .onCommand(RecordEvent.class, this::onRecordEvent)
        .onCommand(CheckDeadlines.class, this::onCheckDeadlines)
        .onCommand(AcknowledgeAlert.class, this::onAcknowledge)
        .onCommand(GetHousehold.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  /** The decisions on a run of events: what to store, and each event's result. */
  private record Decided(List<Event> toStore, List<RecordResult> results) {}

  /**
   * Decides each event against the state its predecessors leave: scope, idempotency (also within
   * the run), validity; an accepted one is stored with what the rules derive from it at now.
   */
  private Decided decide(HouseholdState state, List<DomainEvent> events, List<String> scope) {
    Instant now = now();
    HouseholdState s = state;
    List<Event> toStore = new ArrayList<>(events.size());
    List<RecordResult> results = new ArrayList<>(events.size());
    for (DomainEvent event : events) {
      // Scope first: a caller outside the household's regions learns nothing, not even whether an
      // event id was seen.
      Optional<Rejection> refused = s.outsideScope(event, scope);
      if (refused.isEmpty() && s.recentIds().contains(event.meta().dedupeKey())) {
        results.add(RecordResult.DUPLICATE);
        continue;
      }
      if (refused.isEmpty()) {
        refused = s.problemWith(event);
      }
      if (refused.isPresent()) {
        results.add(RecordResult.rejected(refused.get()));
        continue;
      }
      DomainEvent stored = event.withMeta(event.meta().recordedAt(now));
      Recorded recorded = new Recorded(householdId, stored, derive(s.apply(stored), now));
      s = s.recorded(recorded);
      toStore.add(recorded);
      results.add(RecordResult.ACCEPTED);
    }
    return new Decided(toStore, results);
  }

  private ReplyEffect<Event, HouseholdState> onRecordEvents(HouseholdState state, RecordEvents cmd) {
    Decided d = decide(state, cmd.events(), cmd.regionScope());
    RecordResults results = new RecordResults(d.results());
    if (d.toStore().isEmpty()) {
      return Effect().reply(cmd.replyTo(), results);
    }
    return Effect().persist(d.toStore()).thenReply(cmd.replyTo(), s -> results);
  }

  private ReplyEffect<Event, HouseholdState> onRecordEvent(HouseholdState state, RecordEvent cmd) {
    Decided d = decide(state, List.of(cmd.event()), cmd.regionScope());
    RecordResult result = d.results().get(0);
    if (d.toStore().isEmpty()) {
      return Effect().reply(cmd.replyTo(), result);
    }
    return Effect().persist(d.toStore()).thenReply(cmd.replyTo(), s -> result);
  }

  private ReplyEffect<Event, HouseholdState> onCheckDeadlines(HouseholdState state, CheckDeadlines cmd) {
    Instant now = now();
    Derivation derived = derive(state, now);
    if (derived.isEmpty()) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    return Effect().persist(new Reevaluated(householdId, now, derived))
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  private ReplyEffect<Event, HouseholdState> onAcknowledge(HouseholdState state, AcknowledgeAlert cmd) {
    Optional<Alert> known = state.findAlert(cmd.alertId());
    if (known.isPresent() && !RegionCode.inScope(known.get().regionCode(), cmd.regionScope())) {
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
   * What the rules derive from {@code state} at {@code now}: alerts raised and resolved, a new
   * summary when the statistics would count the household differently, a new deadline when the
   * next due time moved.
   */
  private Derivation derive(HouseholdState state, Instant now) {
    if (!state.isRegistered()) {
      // a deadline check can wake a household that was never registered
      return new Derivation(List.of(), null, null);
    }
    Map<AlertKey, Instant> openSince = new HashMap<>();
    for (Alert a : state.openAlerts()) {
      openSince.put(a.key(), a.raisedAt());
    }
    Evaluation evaluation = rules.evaluate(state.facts(), openSince, now);
    List<AlertChange> changes = new ArrayList<>();
    Set<AlertKey> holding = evaluation.findings().stream().map(Finding::key).collect(Collectors.toSet());
    for (Alert open : state.openAlerts()) {
      if (!holding.contains(open.key())) {
        changes.add(new AlertChange(AlertChange.Kind.RESOLVED, open.resolved(now)));
      }
    }
    long next = state.alerts().count();
    for (Finding f : evaluation.findings()) {
      if (!openSince.containsKey(f.key())) {
        next++;
        changes.add(new AlertChange(AlertChange.Kind.RAISED, Alert.raised(Alert.idFor(householdId, next),
            f.key().type(), f.severity(), householdId, f.key().memberId(), f.key().placementId(),
            state.regionCode(), now, f.summary())));
      }
    }
    HouseholdSummary summary = summarize(state, now);
    SummaryChange summaryChange = summary.equals(state.summary()) ? null : new SummaryChange(state.summary(), summary);
    Instant due = evaluation.nextDue().orElse(null);
    Deadline deadline = java.util.Objects.equals(due, state.scheduledDue()) ? null : new Deadline(due);
    return new Derivation(List.copyOf(changes), summaryChange, deadline);
  }

  /** The household as the statistics count it at {@code now}; placements change status with time. */
  private HouseholdSummary summarize(HouseholdState state, Instant now) {
    List<HouseholdSummary.Employment> employed = new ArrayList<>();
    rules.employment(state.facts(), now).forEach((memberId, p) -> employed.add(
        new HouseholdSummary.Employment(memberId, p.channel(), p.workScope(), p.startDate().getYear())));
    int labourCapable = (int) state.members().values().stream()
        .filter(m -> m.laborCapacity().isLabourCapable()).count();
    return new HouseholdSummary(state.regionCode(), state.deepPovertyArea(), state.closed(), labourCapable,
        !state.closed() && labourCapable > 0 && employed.isEmpty(), List.copyOf(employed),
        state.helper() != null);
  }

  @Override
  public EventHandler<HouseholdState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Recorded.class, HouseholdState::recorded)
        .onEvent(Reevaluated.class, (state, e) -> state.derived(e.derived()))
        .onEvent(AlertAcknowledged.class, (state, e) -> state.acknowledge(e.alertId(), e.by(), e.at()))
        // what the previous release stored one by one
        .onEvent(DomainEvent.class, HouseholdState::apply)
        .onEvent(AlertRaised.class, (state, e) -> state.raise(e.alert()))
        .onEvent(AlertResolved.class, (state, e) -> state.resolve(e.alertId(), e.at()))
        .onEvent(DeadlineScheduled.class, (state, e) -> state.scheduled(e.dueAt()))
        .onEvent(SummaryChanged.class, (state, e) -> state.summarized(e.summary()))
        .build();
  }
}
