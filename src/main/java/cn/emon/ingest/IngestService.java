package cn.emon.ingest;

import cn.emon.ErrorCode;
import cn.emon.auth.Principal;
import cn.emon.household.Household;
import cn.emon.http.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands validated events to their household entities: a request's events of one household become
 * one command and one write (in request order), different households go in parallel, each answered
 * only once stored. One stream per node, not per request, carries the commands, so the households
 * in flight on this node are bounded ({@code emon.ingest.households-in-flight}) below what the
 * journal buffers; requests beyond {@code max-concurrent-requests} get 503 with Retry-After.
 */
public final class IngestService {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  /** One household's events of one request, and where its results go. */
  private record Work(String householdId, List<Household.DomainEvent> events, List<String> scope,
      CompletableFuture<Household.RecordResults> results) {}

  private final ClusterSharding sharding;
  private final IngestSettings settings;
  private final IngestMetrics metrics;
  private final Semaphore admission;
  private final BoundedSourceQueue<Work> commands;

  IngestService(ActorSystem<?> system, IngestSettings settings, IngestMetrics metrics) {
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.metrics = metrics;
    this.admission = new Semaphore(settings.maxConcurrentRequests());
    // Room for every household of every admitted request: an offer never finds it full.
    this.commands = Source.<Work>queue(Math.max(1, settings.maxConcurrentRequests() * settings.maxBatch()))
        .mapAsyncUnordered(settings.householdsInFlight(), this::send)
        .to(Sink.ignore())
        .run(system);
  }

  /** Never fails: the one stream serves every later request. */
  private CompletionStage<Void> send(Work work) {
    CompletionStage<Household.RecordResults> asked;
    try {
      asked = sharding.entityRefFor(Household.ENTITY_TYPE_KEY, work.householdId())
          .ask(replyTo -> new Household.RecordEvents(work.events(), work.scope(), replyTo), settings.askTimeout());
    } catch (RuntimeException e) {
      asked = CompletableFuture.failedFuture(e);
    }
    return asked.handle((results, failure) -> {
      if (failure != null) {
        work.results().completeExceptionally(failure);
      } else {
        work.results().complete(results);
      }
      return null;
    });
  }

  /** Records the valid events and answers every event's outcome, in request order. */
  public CompletionStage<IngestResponse> ingest(List<Decoded> events, Principal principal) {
    if (!admission.tryAcquire()) {
      throw ApiException.overloaded("ingest: too many requests in progress, retry shortly", 1);
    }
    try {
      Map<String, List<Integer>> byHousehold = new LinkedHashMap<>();
      for (int i = 0; i < events.size(); i++) {
        Decoded d = events.get(i);
        if (d.isValid()) {
          byHousehold.computeIfAbsent(d.event().householdId(), k -> new ArrayList<>()).add(i);
        }
      }
      Household.RecordResult[] outcomes = new Household.RecordResult[events.size()];
      List<CompletableFuture<Void>> pending = new ArrayList<>(byHousehold.size());
      for (Map.Entry<String, List<Integer>> h : byHousehold.entrySet()) {
        List<Integer> indices = h.getValue();
        List<Household.DomainEvent> domain = new ArrayList<>(indices.size());
        indices.forEach(i -> domain.add(events.get(i).event()));
        CompletableFuture<Household.RecordResults> results = new CompletableFuture<>();
        QueueOfferResult offered = commands.offer(new Work(h.getKey(), domain, principal.scope(), results));
        if (!(offered instanceof QueueOfferResult.Enqueued$)) {
          results.completeExceptionally(new IllegalStateException("ingest queue refused: " + offered));
        }
        pending.add(results.thenAccept(r -> {
          for (int k = 0; k < indices.size(); k++) {
            outcomes[indices.get(k)] = r.results().get(k);
          }
        }));
      }
      return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .handle((ok, failure) -> {
            if (failure != null) {
              // Some outcomes are unknown: nothing is half-stored (a household's events are one
              // atomic write) and a retry of the whole request is safe thanks to idempotency.
              log.warn("Ingest could not confirm storage: {}", rootCause(failure).getClass().getSimpleName());
              throw ApiException.unavailable("storage: events could not be confirmed stored, retry", 5);
            }
            return respond(events, outcomes);
          })
          .whenComplete((r, t) -> admission.release());
    } catch (RuntimeException e) {
      admission.release();
      throw e;
    }
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private IngestResponse respond(List<Decoded> events, Household.RecordResult[] outcomes) {
    int accepted = 0;
    int duplicates = 0;
    int rejected = 0;
    List<IngestResponse.Result> results = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Decoded d = events.get(i);
      Household.RecordResult r = outcomes[i];
      String status;
      String error = null;
      ErrorCode code = null;
      if (!d.isValid()) {
        status = "rejected";
        error = d.error();
        code = d.code();
      } else {
        switch (r.outcome()) {
          case ACCEPTED -> status = "accepted";
          case DUPLICATE -> status = "duplicate";
          default -> {
            status = "rejected";
            // The prefix is v1's wording, kept for clients that read it; the code is the stable part.
            error = r.forbidden() ? "forbidden: " + r.error() : r.error();
            code = r.code();
          }
        }
      }
      switch (status) {
        case "accepted" -> accepted++;
        case "duplicate" -> duplicates++;
        default -> rejected++;
      }
      metrics.count(d.type(), status);
      results.add(new IngestResponse.Result(d.id(), status, code == null ? null : code.wireName(), error));
    }
    return new IngestResponse(accepted, duplicates, rejected, results);
  }
}
