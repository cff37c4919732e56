package cn.emon.readmodel;

import cn.emon.household.Household;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/** Told about each group of events a projection applied, for metrics. */
public interface ReadModelListener {

  void applied(List<EventEnvelope<Household.Event>> envelopes);

  ReadModelListener NONE = envelopes -> {};
}
