package cn.emon.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Writes many rows of one table in a few statements: an insert that, for a key already present,
 * sets, adds to or keeps each column — {@code INSERT … ON CONFLICT} on PostgreSQL, {@code MERGE}
 * on H2. Rows go in chunks of fixed sizes (256, 64, 16, 4, 1), so each database sees at most five
 * statement texts per table and prepares each once. The rows of one call must have distinct keys.
 *
 * <p>The read-model folds use it to write a whole projection group per table, inside the
 * projection's transaction.
 */
public final class Upsert {

  /** SQL types of the columns (both databases accept these names). */
  public enum Type {
    TEXT("VARCHAR", Types.VARCHAR), BIGINT("BIGINT", Types.BIGINT), INT("INT", Types.INTEGER),
    BOOLEAN("BOOLEAN", Types.BOOLEAN);

    final String sql;
    final int jdbc;

    Type(String sql, int jdbc) {
      this.sql = sql;
      this.jdbc = jdbc;
    }
  }

  /** What a column does when the row's key is present: part of the key, set, added to, kept. */
  public enum Role { KEY, SET, ADD, KEEP }

  /** One column of the statement. */
  public record Column(String name, Type type, Role role) {}

  private static final int[] CHUNKS = {256, 64, 16, 4, 1};

  private final String table;
  private final List<Column> columns;
  private final Map<String, String> sql = new ConcurrentHashMap<>();

  private Upsert(String table, List<Column> columns) {
    this.table = table;
    this.columns = List.copyOf(columns);
    if (columns.stream().noneMatch(c -> c.role() == Role.KEY)) {
      throw new IllegalArgumentException(table + ": an upsert needs a key");
    }
  }

  public static Builder into(String table) {
    return new Builder(table);
  }

  /** Builds the column list in the order rows give their values. */
  public static final class Builder {
    private final String table;
    private final List<Column> columns = new ArrayList<>();

    private Builder(String table) {
      this.table = table;
    }

    public Builder key(String name, Type type) {
      columns.add(new Column(name, type, Role.KEY));
      return this;
    }

    public Builder set(String name, Type type) {
      columns.add(new Column(name, type, Role.SET));
      return this;
    }

    public Builder add(String name, Type type) {
      columns.add(new Column(name, type, Role.ADD));
      return this;
    }

    /** Written when the row is new, left as it is otherwise. */
    public Builder keep(String name, Type type) {
      columns.add(new Column(name, type, Role.KEEP));
      return this;
    }

    public Upsert build() {
      return new Upsert(table, columns);
    }
  }

  /** Writes {@code rows} (values in column order); returns the statements executed. */
  public int execute(Connection c, Collection<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    boolean postgres = Sql.isPostgres(c);
    List<Object[]> all = rows instanceof List<Object[]> l ? l : new ArrayList<>(rows);
    int statements = 0;
    int from = 0;
    for (int size : CHUNKS) {
      while (all.size() - from >= size) {
        try (PreparedStatement ps = c.prepareStatement(statement(postgres, size))) {
          int i = 1;
          for (int r = from; r < from + size; r++) {
            Object[] row = all.get(r);
            if (row.length != columns.size()) {
              throw new IllegalArgumentException(table + ": row of " + row.length + " values for "
                  + columns.size() + " columns");
            }
            for (int k = 0; k < row.length; k++) {
              Sql.bind(ps, i++, row[k], columns.get(k).type().jdbc);
            }
          }
          ps.executeUpdate();
        }
        statements++;
        from += size;
      }
    }
    return statements;
  }

  private String statement(boolean postgres, int rows) {
    return sql.computeIfAbsent((postgres ? "pg:" : "h2:") + rows, k -> postgres ? postgres(rows) : h2(rows));
  }

  private String postgres(int rows) {
    String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String one = columns.stream().map(c -> "CAST(? AS " + c.type().sql + ")").collect(Collectors.joining(", ", "(", ")"));
    String values = String.join(", ", java.util.Collections.nCopies(rows, one));
    String keys = columns.stream().filter(c -> c.role() == Role.KEY).map(Column::name).collect(Collectors.joining(", "));
    List<String> updates = new ArrayList<>();
    for (Column c : columns) {
      switch (c.role()) {
        case SET -> updates.add(c.name() + " = EXCLUDED." + c.name());
        case ADD -> updates.add(c.name() + " = " + table + "." + c.name() + " + EXCLUDED." + c.name());
        default -> { }
      }
    }
    return "INSERT INTO " + table + " (" + names + ") VALUES " + values + " ON CONFLICT (" + keys + ") "
        + (updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates));
  }

  private String h2(int rows) {
    String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String one = columns.stream().map(c -> "CAST(? AS " + c.type().sql + ")").collect(Collectors.joining(", ", "(", ")"));
    String values = String.join(", ", java.util.Collections.nCopies(rows, one));
    String on = columns.stream().filter(c -> c.role() == Role.KEY)
        .map(c -> "t." + c.name() + " = s." + c.name()).collect(Collectors.joining(" AND "));
    List<String> updates = new ArrayList<>();
    for (Column c : columns) {
      switch (c.role()) {
        case SET -> updates.add(c.name() + " = s." + c.name());
        case ADD -> updates.add(c.name() + " = t." + c.name() + " + s." + c.name());
        default -> { }
      }
    }
    String insert = "INSERT (" + names + ") VALUES ("
        + columns.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", ")) + ")";
    return "MERGE INTO " + table + " t USING (VALUES " + values + ") s(" + names + ") ON " + on
        + (updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + String.join(", ", updates))
        + " WHEN NOT MATCHED THEN " + insert;
  }

  /** {@code DELETE FROM table WHERE column IN (…)} for many values, in chunks of fixed sizes. */
  public static int deleteWhereIn(Connection c, String table, String column, Collection<String> values)
      throws SQLException {
    return inChunks(c, values, size -> "DELETE FROM " + table + " WHERE " + column + " IN ("
        + String.join(", ", java.util.Collections.nCopies(size, "?")) + ")");
  }

  /** {@code UPDATE table SET assignment WHERE column IN (…)} for many values. */
  public static int updateWhereIn(Connection c, String table, String assignment, String column,
      Collection<String> values) throws SQLException {
    return inChunks(c, values, size -> "UPDATE " + table + " SET " + assignment + " WHERE " + column + " IN ("
        + String.join(", ", java.util.Collections.nCopies(size, "?")) + ")");
  }

  private static int inChunks(Connection c, Collection<String> values, java.util.function.IntFunction<String> sql)
      throws SQLException {
    List<String> all = new ArrayList<>(values);
    int statements = 0;
    int from = 0;
    for (int size : CHUNKS) {
      while (all.size() - from >= size) {
        try (PreparedStatement ps = c.prepareStatement(sql.apply(size))) {
          for (int i = 0; i < size; i++) {
            ps.setString(i + 1, all.get(from + i));
          }
          ps.executeUpdate();
        }
        statements++;
        from += size;
      }
    }
    return statements;
  }

  @Override
  public String toString() {
    return "Upsert(" + table + ", " + columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT) + ":" + c.role())
        .collect(Collectors.joining(", ")) + ")";
  }
}
