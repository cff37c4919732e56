package cn.emon.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The small JDBC helpers the folds and stores share: binding by type, which database, reads by many keys. */
public final class Sql {

  private Sql() {}

  /** Reads one row of a result set. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Whether {@code c} talks to PostgreSQL (otherwise H2, the only other database supported). */
  public static boolean isPostgres(Connection c) throws SQLException {
    return c.getMetaData().getURL().startsWith("jdbc:postgresql:");
  }

  /** Binds a value, a typed null when null. */
  public static void bind(PreparedStatement ps, int index, Object value, int sqlType) throws SQLException {
    if (value == null) {
      ps.setNull(index, sqlType);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer i) {
      ps.setInt(index, i);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else {
      ps.setObject(index, value, sqlType);
    }
  }

  /**
   * {@code select … where keyColumn in (…)} for many keys, in chunks of at most 256:
   * {@code selectFrom} is the statement up to and including {@code WHERE}.
   */
  public static <T> List<T> whereIn(Connection c, String selectFrom, String keyColumn, Collection<String> keys,
      Row<T> row) throws SQLException {
    return whereIn(c, selectFrom, keyColumn, keys, "", row);
  }

  /** {@link #whereIn} with {@code suffix} (e.g. {@code GROUP BY …}) after the key list. */
  public static <T> List<T> whereIn(Connection c, String selectFrom, String keyColumn, Collection<String> keys,
      String suffix, Row<T> row) throws SQLException {
    List<T> out = new ArrayList<>();
    List<String> all = new ArrayList<>(keys);
    for (int from = 0; from < all.size(); from += 256) {
      int size = Math.min(256, all.size() - from);
      // A fixed text per chunk size class keeps the prepared statements few: pad with the last key.
      int padded = size <= 16 ? 16 : 256;
      String sql = selectFrom + " " + keyColumn + " IN ("
          + String.join(", ", java.util.Collections.nCopies(padded, "?")) + ") " + suffix;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < padded; i++) {
          ps.setString(i + 1, all.get(from + Math.min(i, size - 1)));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row.read(rs));
          }
        }
      }
    }
    return out;
  }
}
