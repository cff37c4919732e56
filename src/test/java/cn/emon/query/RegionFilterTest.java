package cn.emon.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Region prefixes as SQL ranges: the upper bounds, the intersection with a token's scope, the predicate. */
class RegionFilterTest {

  @ParameterizedTest
  @CsvSource({"5227, 5228", "5299, 53", "52, 53", "522701109, 52270111", "1, 2", "9, ", "99, ", "19, 2"})
  void theUpperBoundOfAPrefixIsTheNextDigitString(String prefix, String next) {
    assertThat(RegionFilter.next(prefix)).isEqualTo(next);
  }

  @Test
  void aRegionInsideTheScopeNarrowsIt() {
    assertThat(RegionFilter.of("522701", List.of("5227"))).isEqualTo(prefixes("522701"));
  }

  @Test
  void aRegionWiderThanTheScopeKeepsTheScopeInsideIt() {
    assertThat(RegionFilter.of("52", List.of("522701", "522702", "110101"))).isEqualTo(prefixes("522701", "522702"));
  }

  @Test
  void aRegionOutsideTheScopeLeavesNothing() {
    assertThat(RegionFilter.of("110101", List.of("5227")).isEmpty()).isTrue();
  }

  @Test
  void noRegionAndNoScopeIsEverything() {
    assertThat(RegionFilter.of(null, List.of()).kind()).isEqualTo(RegionFilter.Kind.ALL);
    assertThat(RegionFilter.of(null, List.of("52", "5227"))).isEqualTo(prefixes("52"));
  }

  @Test
  void prefixesBecomeCountyEqualitiesOrRanges() {
    StringBuilder sql = new StringBuilder();
    List<Object> args = new ArrayList<>();
    RegionFilter.of(null, List.of("5299", "522701101", "99")).appendTo(sql, args, "region_code", "county_code");
    assertThat(sql.toString()).isEqualTo(" AND ((county_code >= ? AND county_code < ?)"
        + " OR (county_code = ? AND region_code >= ? AND region_code < ?) OR (county_code >= ?))");
    assertThat(args).containsExactly("5299", "53", "522701", "522701101", "522701102", "99");
  }

  private static RegionFilter prefixes(String... p) {
    return new RegionFilter(RegionFilter.Kind.PREFIXES, List.of(p));
  }
}
