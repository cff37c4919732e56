package cn.emon.readmodel;

import java.sql.Connection;
import java.util.List;

/**
 * What one feature keeps of the journal (the alerts table, the deadline index, the region
 * statistics, the webhook outbox …): it folds a whole group of a slice's events into its tables
 * inside the projection's transaction, which also moves the offset — so each event is folded once.
 * A fold writes a group in a few multi-row statements ({@link cn.emon.db.Upsert}), never a statement
 * per event, and reads nothing an event already carries.
 */
public interface Fold {

  /** Names the fold in metrics and logs. */
  String name();

  /** Applies the entries of one group, in journal order (so each household's in its own order). */
  void apply(Connection connection, List<JournalEntry> entries) throws Exception;
}
