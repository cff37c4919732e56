package cn.emon.query;

import cn.emon.alerting.AlertRules;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.household.Alert;
import cn.emon.household.Household;
import cn.emon.household.HouseholdState;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.http.JsonSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Read endpoints: household state and history (from the entity and the journal) and alerts (from
 * the read model), each filtered to the caller's regions; plus acknowledging an alert.
 */
public final class QueryRoutes extends ApiDirectives {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_HISTORY = 10_000;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final AlertRules rules;
  private final AlertRepository alerts;
  private final Clock clock;
  private final Executor jdbc;
  private final JdbcReadJournal readJournal;

  public QueryRoutes(ActorSystem<?> system, Authenticator authenticator, AlertRules rules,
      AlertRepository alerts, Clock clock) {
    super(authenticator);
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.rules = rules;
    this.alerts = alerts;
    this.clock = clock;
    this.jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
    this.readJournal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  public Route route() {
    return concat(
        pathPrefix("households", () -> pathPrefix(id -> concat(
            pathEnd(() -> get(() -> reader(p -> completeWithFuture(household(id, p))))),
            path("events", () -> get(() -> reader(p -> completeWithFuture(history(id, p)))))))),
        pathPrefix("alerts", () -> concat(
            pathEnd(() -> get(() -> reader(p -> parameterMap(params ->
                completeWithFuture(list(AlertQuery.from(params), p)))))),
            pathPrefix(alertId -> concat(
                pathEnd(() -> get(() -> reader(p -> completeWithFuture(one(alertId, p))))),
                path("acknowledge", () -> post(() -> reader(p ->
                    entity(Unmarshaller.entityToString(), body ->
                        completeWithFuture(acknowledge(alertId, body, p))))))))))
    );
  }

  private Route reader(java.util.function.Function<Principal, Route> inner) {
    return authorized(Principal::mayRead, "read", inner);
  }

  private static String checkedId(String id, String name) {
    if (!ID.matcher(id).matches()) {
      throw ApiException.invalidParameter(name + ": must be 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    return id;
  }

  private CompletionStage<HouseholdState> state(String householdId, Principal p) {
    checkedId(householdId, "householdId");
    return sharding.entityRefFor(Household.ENTITY_TYPE_KEY, householdId)
        .<HouseholdState>ask(Household.GetHousehold::new, ASK_TIMEOUT)
        .exceptionally(t -> {
          throw ApiException.unavailable("storage: household could not be read, retry", 5);
        })
        .thenApply(s -> {
          if (!s.isRegistered()) {
            throw ApiException.notFound("household: not registered");
          }
          if (!p.mayTouch(s.regionCode())) {
            throw ApiException.regionForbidden("household: outside the token's regions");
          }
          return s;
        });
  }

  private CompletionStage<HttpResponse> household(String householdId, Principal p) {
    return state(householdId, p).thenApply(s -> JsonSupport.ok(HouseholdView.of(s, rules, clock.instant())));
  }

  private CompletionStage<HttpResponse> history(String householdId, Principal p) {
    return state(householdId, p).thenCompose(s -> readJournal
        .currentEventsByPersistenceId(Household.persistenceIdOf(householdId).id(), 0L, Long.MAX_VALUE)
        .mapConcat(env -> HistoryEntry.of(env.sequenceNr(), env.timestamp(), (Household.Event) env.event()))
        .take(MAX_HISTORY)
        .runWith(Sink.seq(), system)
        .thenApply(events -> JsonSupport.ok(Map.of("householdId", householdId, "events", events))));
  }

  private CompletionStage<HttpResponse> list(AlertQuery q, Principal p) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        List<AlertView> found = alerts.find(q, p.scope());
        boolean more = found.size() > q.limit();
        List<AlertView> page = more ? found.subList(0, q.limit()) : found;
        return JsonSupport.write(new AlertPage(page, more ? AlertQuery.cursorOf(page.get(page.size() - 1)) : null));
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, jdbc).thenApply(bytes -> HttpResponse.create().withEntity(
        org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON, bytes));
  }

  private CompletionStage<HttpResponse> one(String alertId, Principal p) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return alerts.get(alertId);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, jdbc).thenApply(found -> {
      AlertView a = found.orElseThrow(() -> ApiException.notFound("alert: no such alert"));
      if (!p.mayTouch(a.regionCode())) {
        throw ApiException.regionForbidden("alert: outside the token's regions");
      }
      return JsonSupport.ok(a);
    });
  }

  private CompletionStage<HttpResponse> acknowledge(String alertId, String body, Principal p) {
    String householdId = Alert.householdOf(alertId);
    if (householdId == null || !ID.matcher(householdId).matches()) {
      throw ApiException.notFound("alert: no such alert");
    }
    String by = p.name();
    String note = null;
    if (!body.isBlank()) {
      JsonNode json = JsonSupport.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (!json.isObject()) {
        throw ApiException.invalidBody("body: must be a JSON object");
      }
      by = optionalText(json, "by", 128, by);
      note = optionalText(json, "note", 1000, null);
    }
    String acknowledgedBy = by;
    String ackNote = note;
    return sharding.entityRefFor(Household.ENTITY_TYPE_KEY, householdId)
        .<Household.AckResult>ask(replyTo -> new Household.AcknowledgeAlert(alertId, acknowledgedBy,
            ackNote, p.scope(), replyTo), ASK_TIMEOUT)
        .exceptionally(t -> {
          throw ApiException.unavailable("storage: acknowledgement could not be stored, retry", 5);
        })
        .thenCompose(r -> {
          if (r.forbidden()) {
            throw ApiException.regionForbidden("alert: outside the token's regions");
          }
          if (r.alert().isPresent()) {
            return CompletableFuture.completedFuture(JsonSupport.ok(AlertView.of(r.alert().get())));
          }
          // The entity keeps only its recent resolved alerts; an older one is resolved for good,
          // and acknowledging it answers it as the read model holds it.
          return one(alertId, p);
        });
  }

  private static String optionalText(JsonNode json, String field, int max, String fallback) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
      throw ApiException.invalidField(field + ": must be a non-empty string of at most " + max + " characters");
    }
    return v.asText();
  }
}
