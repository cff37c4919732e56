package cn.emon.household;

import com.typesafe.config.Config;

/**
 * Settings of the household entity ({@code emon.household}).
 *
 * @param dedupeWindow how many recent {@code (source, id)} keys each household remembers
 * @param snapshotEvery events between snapshots
 */
public record HouseholdSettings(int dedupeWindow, int snapshotEvery) {

  public static HouseholdSettings from(Config household) {
    return new HouseholdSettings(household.getInt("dedupe-window"), household.getInt("snapshot-every"));
  }
}
