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
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands validated events to their household entities: events of one household in request order,
 * different households in parallel, each answered only once stored. Admission is bounded so the
 * journal's write buffer is never overrun: excess requests get 503 with Retry-After instead.
 */
public final class IngestService {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final IngestSettings settings;
  private final IngestMetrics metrics;
  private final Semaphore admission;

  IngestService(ActorSystem<?> system, IngestSettings settings, IngestMetrics metrics) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.metrics = metrics;
    this.admission = new Semaphore(settings.maxConcurrentRequests());
  }

  CompletionStage<IngestResponse> ingest(List<Decoded> events, Principal principal) {
    if (!admission.tryAcquire()) {
      throw ApiException.unavailable("ingest: too many requests in progress, retry shortly", 1);
    }
    AtomicReferenceArray<Household.RecordResult> outcomes = new AtomicReferenceArray<>(events.size());
    Map<String, List<Integer>> byHousehold = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      Decoded d = events.get(i);
      if (d.isValid()) {
        byHousehold.computeIfAbsent(d.event().householdId(), k -> new ArrayList<>()).add(i);
      }
    }
    CompletionStage<IngestResponse> done = Source.from(new ArrayList<>(byHousehold.values()))
        .mapAsyncUnordered(settings.parallelism(), indices -> inOrder(events, indices, principal, outcomes))
        .runWith(Sink.ignore(), system)
        .handle((ok, failure) -> {
          if (failure != null) {
            // Some outcomes are unknown: nothing is half-stored (each event is one atomic write)
            // and a retry of the whole request is safe thanks to idempotency.
            log.warn("Ingest could not confirm storage: {}", failure.getClass().getSimpleName());
            throw ApiException.unavailable("storage: events could not be confirmed stored, retry", 5);
          }
          return respond(events, outcomes);
        });
    return done.whenComplete((r, t) -> admission.release());
  }

  private CompletionStage<Integer> inOrder(List<Decoded> events, List<Integer> indices, Principal principal,
      AtomicReferenceArray<Household.RecordResult> outcomes) {
    CompletionStage<Integer> chain = CompletableFuture.completedFuture(0);
    for (int index : indices) {
      Household.DomainEvent event = events.get(index).event();
      chain = chain.thenCompose(n -> sharding.entityRefFor(Household.ENTITY_TYPE_KEY, event.householdId())
          .<Household.RecordResult>ask(
              replyTo -> new Household.RecordEvent(event, principal.scope(), replyTo), settings.askTimeout())
          .thenApply(result -> {
            outcomes.set(index, result);
            return n + 1;
          }));
    }
    return chain;
  }

  private IngestResponse respond(List<Decoded> events, AtomicReferenceArray<Household.RecordResult> outcomes) {
    int accepted = 0;
    int duplicates = 0;
    int rejected = 0;
    List<IngestResponse.Result> results = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Decoded d = events.get(i);
      Household.RecordResult r = outcomes.get(i);
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
