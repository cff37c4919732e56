package cn.emon.household;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The idempotency window of one household: its most recent {@code (source, id)} keys, oldest
 * first. A retry of an event older than the window would be applied again, so the window is sized
 * well past any integrator's retry horizon ({@code emon.household.dedupe-window}).
 */
public final class RecentIds {

  private static final RecentIds EMPTY = new RecentIds(List.of());

  private final List<String> keys;
  private final Set<String> lookup;

  /** Reads back the array {@link #keys()} writes (delegating: the whole JSON value is the list). */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  RecentIds(List<String> keys) {
    this.keys = List.copyOf(keys);
    this.lookup = new HashSet<>(keys);
  }

  public static RecentIds empty() {
    return EMPTY;
  }

  @JsonValue
  public List<String> keys() {
    return keys;
  }

  public boolean contains(String key) {
    return lookup.contains(key);
  }

  public RecentIds add(String key, int window) {
    List<String> next = new ArrayList<>(Math.min(keys.size() + 1, window));
    int from = Math.max(0, keys.size() + 1 - window);
    next.addAll(keys.subList(from, keys.size()));
    next.add(key);
    return new RecentIds(next);
  }
}
