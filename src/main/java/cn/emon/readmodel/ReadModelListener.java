package cn.emon.readmodel;

import java.util.List;

/** Told about each group of events a projection applied, for metrics. */
public interface ReadModelListener {

  void applied(List<JournalEntry> entries);

  /** One fold took {@code nanos} over a group of {@code entries}. */
  default void folded(String fold, long nanos, int entries) {}

  /** The projection of one slice failed and restarts with back-off from its last offset. */
  default void failed(String projectionKey, Throwable cause) {}

  ReadModelListener NONE = entries -> {};
}
