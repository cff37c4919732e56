package cn.emon.readmodel;

import cn.emon.household.Household;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/** Told about each group of events a projection applied, for metrics. */
public interface ReadModelListener {

  void applied(List<EventEnvelope<Household.Event>> envelopes);

  /** The projection of one slice failed and restarts with back-off from its last offset. */
  default void failed(String projectionKey, Throwable cause) {}

  ReadModelListener NONE = envelopes -> {};
}
