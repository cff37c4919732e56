package cn.emon.readmodel;

import cn.emon.household.Household;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * One stored event of a slice as the folds see it: where it lies in the journal and what it
 * changed, in the one shape of {@link Household.Changes} whichever release stored it.
 *
 * @param ordering the event's journal ordering (the read journal's offset)
 * @param sequenceNr the event's sequence number in its household's history
 * @param timestamp when the journal stored it, epoch milliseconds
 */
public record JournalEntry(long ordering, long sequenceNr, long timestamp, Household.Changes changes) {

  public String householdId() {
    return changes.householdId();
  }

  static JournalEntry of(EventEnvelope<Household.Event> envelope) {
    return new JournalEntry(((Sequence) envelope.offset()).value(), envelope.sequenceNr(), envelope.timestamp(),
        envelope.event().changes());
  }
}
