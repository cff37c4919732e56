package cn.emon.household;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The idempotency window of one household: its most recent {@code (source, id)} keys, oldest
 * first, at most {@code capacity} of them. A retry of an event older than the window's oldest key
 * is applied again, so the window is sized well past any integrator's retry horizon
 * ({@code emon.household.dedupe-window}). The capacity comes with the empty state, so event
 * handlers never read configuration. Immutable; the lookup set is built on the first
 * {@link #contains} only, so a replay (which never asks) pays for the keys alone.
 */
public final class RecentIds {

  private final String[] keys;
  private final int capacity;
  private volatile Set<String> lookup;

  private RecentIds(String[] keys, int capacity) {
    this.keys = keys;
    this.capacity = capacity;
  }

  @JsonCreator
  static RecentIds of(@JsonProperty("keys") List<String> keys, @JsonProperty("capacity") int capacity) {
    return new RecentIds(keys.toArray(String[]::new), capacity);
  }

  public static RecentIds empty(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("dedupe window: at least 1");
    }
    return new RecentIds(new String[0], capacity);
  }

  @JsonProperty("keys")
  public List<String> keys() {
    return List.of(keys);
  }

  @JsonProperty("capacity")
  public int capacity() {
    return capacity;
  }

  public boolean contains(String key) {
    Set<String> set = lookup;
    if (set == null) {
      set = new HashSet<>(Arrays.asList(keys));
      lookup = set;
    }
    return set.contains(key);
  }

  /** The window with {@code key} added, the oldest key dropped when full. */
  public RecentIds add(String key) {
    int kept = Math.min(keys.length, capacity - 1);
    String[] next = new String[kept + 1];
    System.arraycopy(keys, keys.length - kept, next, 0, kept);
    next[kept] = key;
    return new RecentIds(next, capacity);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecentIds r && r.capacity == capacity && Arrays.equals(r.keys, keys);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(keys) + capacity;
  }

  @Override
  public String toString() {
    return "RecentIds" + new ArrayList<>(List.of(keys)) + "/" + capacity;
  }
}
