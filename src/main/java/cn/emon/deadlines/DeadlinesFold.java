package cn.emon.deadlines;

import cn.emon.db.Upsert;
import cn.emon.db.Upsert.Type;
import cn.emon.household.Household;
import cn.emon.readmodel.Fold;
import cn.emon.readmodel.JournalEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the durable deadline index ({@code deadlines}: when each household next needs its
 * time-based rules evaluated) as the entities schedule it: per group, the last due time of each
 * household, one upsert for those set and one delete for those cleared.
 */
public final class DeadlinesFold implements Fold {

  private static final Upsert DEADLINES = Upsert.into("deadlines")
      .key("household_id", Type.TEXT)
      .set("slice", Type.INT)
      .set("due_at", Type.BIGINT)
      .build();

  @Override
  public String name() {
    return "deadlines";
  }

  @Override
  public void apply(Connection c, List<JournalEntry> entries) throws SQLException {
    Map<String, Household.Deadline> last = new HashMap<>();
    for (JournalEntry e : entries) {
      if (e.changes().deadline() != null) {
        last.put(e.householdId(), e.changes().deadline());
      }
    }
    List<Object[]> due = new ArrayList<>();
    List<String> cleared = new ArrayList<>();
    last.forEach((household, deadline) -> {
      if (deadline.dueAt() == null) {
        cleared.add(household);
      } else {
        due.add(new Object[] {household, Household.sliceOf(household), deadline.dueAt().toEpochMilli()});
      }
    });
    DEADLINES.execute(c, due);
    Upsert.deleteWhereIn(c, "deadlines", "household_id", cleared);
  }
}
