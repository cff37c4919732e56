package cn.emon.query;

import cn.emon.household.Household;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code GET /api/v1/households/{id}/events}: the household's stored history, oldest
 * first, in the shape of v1 — an integrator event, then an entry for each thing the rules derived
 * from it ({@code alert.raised}, {@code alert.resolved}, {@code summary.changed},
 * {@code deadline.scheduled}). This release stores an input and its derivations as one event, so
 * those entries share its {@code sequenceNr}; histories of the previous release read as they did.
 */
public record HistoryEntry(long sequenceNr, String type, Instant storedAt, Object event) {

  static List<HistoryEntry> of(long sequenceNr, long timestamp, Household.Event event) {
    Instant at = Instant.ofEpochMilli(timestamp);
    List<HistoryEntry> out = new ArrayList<>();
    String h = event.householdId();
    if (event instanceof Household.Recorded r) {
      out.add(new HistoryEntry(sequenceNr, r.event().meta().type(), at, r.event()));
      derived(out, sequenceNr, at, h, r.derived());
    } else if (event instanceof Household.Reevaluated r) {
      derived(out, sequenceNr, at, h, r.derived());
    } else if (event instanceof Household.DomainEvent d) {
      out.add(new HistoryEntry(sequenceNr, d.meta().type(), at, d));
    } else {
      out.add(new HistoryEntry(sequenceNr, typeOf(event), at, event));
    }
    return out;
  }

  private static void derived(List<HistoryEntry> out, long seq, Instant at, String h, Household.Derivation d) {
    for (Household.AlertChange c : d.alerts()) {
      if (c.kind() == Household.AlertChange.Kind.ESCALATED) {
        out.add(new HistoryEntry(seq, "alert.escalated", at, new Escalated(h, c.alert().alertId(),
            c.alert().escalation().wireName(), c.alert().escalatedAt(), AlertView.of(c.alert()))));
        continue;
      }
      Household.Event e = switch (c.kind()) {
        case RAISED -> new Household.AlertRaised(h, c.alert());
        case RESOLVED -> new Household.AlertResolved(h, c.alert().alertId(), c.alert().resolvedAt(), c.alert());
        case ACKNOWLEDGED -> new Household.AlertAcknowledged(h, c.alert().alertId(), c.alert().acknowledgedBy(),
            null, c.alert().acknowledgedAt(), c.alert());
        case ESCALATED -> throw new IllegalStateException("handled above");
      };
      out.add(new HistoryEntry(seq, typeOf(e), at, e));
    }
    if (d.summary() != null) {
      out.add(new HistoryEntry(seq, "summary.changed", at, new Household.SummaryChanged(h, d.summary().after())));
    }
    if (d.deadline() != null) {
      out.add(new HistoryEntry(seq, "deadline.scheduled", at, new Household.DeadlineScheduled(h, d.deadline().dueAt())));
    }
  }

  /** An {@code alert.escalated} entry: the alert climbed to {@code level} at {@code at}. */
  record Escalated(String householdId, String alertId, String level, Instant at, AlertView alert) {}

  private static String typeOf(Household.Event event) {
    if (event instanceof Household.AlertRaised) {
      return "alert.raised";
    } else if (event instanceof Household.AlertAcknowledged) {
      return "alert.acknowledged";
    } else if (event instanceof Household.AlertResolved) {
      return "alert.resolved";
    } else if (event instanceof Household.DeadlineScheduled) {
      return "deadline.scheduled";
    } else if (event instanceof Household.SummaryChanged) {
      return "summary.changed";
    }
    return "unknown";
  }
}
