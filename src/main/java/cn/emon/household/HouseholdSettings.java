package cn.emon.household;

import com.typesafe.config.Config;

/**
 * Settings of the household entity ({@code emon.household}).
 *
 * @param dedupeWindow how many recent {@code (source, id)} keys each household remembers
 */
public record HouseholdSettings(int dedupeWindow) {

  public static HouseholdSettings from(Config household) {
    return new HouseholdSettings(household.getInt("dedupe-window"));
  }
}
