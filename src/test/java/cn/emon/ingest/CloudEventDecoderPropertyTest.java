package cn.emon.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the event decoder over generated input: it never throws, every event is either
 * decoded or rejected with a message naming a field, and a rejection never echoes the value.
 */
class CloudEventDecoderPropertyTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final CloudEventDecoder DECODER = new CloudEventDecoder(Duration.ofDays(1));
  static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  static final List<String> FIELDS = List.of("specversion", "id", "source", "type", "subject", "time", "data");
  static final List<String> DATA_FIELDS = List.of("regionCode", "deepPovertyArea", "members", "memberId",
      "laborCapacity", "wantsTraining", "placementId", "channel", "employer", "workRegionCode", "startDate",
      "expectedEndDate", "monthlyIncomeYuan", "verifiedOn", "endDate", "reason", "programId", "certified",
      "helperId", "helperName");

  @Provide
  Arbitrary<JsonNode> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80).map(s -> JSON.getNodeFactory().textNode(s)),
        Arbitraries.strings().withChars("0123456789-:TZ+").ofMaxLength(30).map(s -> JSON.getNodeFactory().textNode(s)),
        Arbitraries.longs().map(n -> JSON.getNodeFactory().numberNode(n)),
        Arbitraries.doubles().map(n -> JSON.getNodeFactory().numberNode(n)),
        Arbitraries.of(true, false).map(b -> JSON.getNodeFactory().booleanNode(b)),
        Arbitraries.just(JSON.getNodeFactory().nullNode()),
        Arbitraries.just(JSON.getNodeFactory().arrayNode()),
        Arbitraries.just(JSON.getNodeFactory().objectNode()));
  }

  @Provide
  Arbitrary<JsonNode> events() {
    Arbitrary<String> types = Arbitraries.oneOf(Arbitraries.of(CloudEventDecoder.TYPES), Arbitraries.strings().ofMaxLength(20));
    Arbitrary<List<JsonNode>> dataValues = values().list().ofSize(DATA_FIELDS.size());
    Arbitrary<List<Boolean>> present = Arbitraries.of(true, false).list().ofSize(FIELDS.size() + DATA_FIELDS.size());
    return Combinators.combine(types, dataValues, present, values()).as((type, data, keep, odd) -> {
      ObjectNode e = JSON.createObjectNode();
      e.put("specversion", "1.0");
      e.put("id", "e-1");
      e.put("source", "/gen");
      e.put("type", type);
      e.put("subject", "522701-1");
      e.put("time", "2026-11-20T09:30:00+08:00");
      ObjectNode d = e.putObject("data");
      for (int i = 0; i < DATA_FIELDS.size(); i++) {
        if (keep.get(FIELDS.size() + i)) {
          d.set(DATA_FIELDS.get(i), data.get(i));
        }
      }
      for (int i = 0; i < FIELDS.size(); i++) {
        if (!keep.get(i)) {
          e.set(FIELDS.get(i), odd);
        }
      }
      return e;
    });
  }

  @Property(tries = 3000)
  void decodesOrRejectsNamingAField(@ForAll("events") JsonNode event) {
    Decoded d = DECODER.decode(event, NOW);
    if (d.isValid()) {
      assertThat(d.event().householdId()).matches("[A-Za-z0-9_.-]{1,64}");
      assertThat(d.error()).isNull();
    } else {
      assertThat(d.error()).matches("^(event|specversion|id|source|type|subject|time|datacontenttype|data(\\.[A-Za-z]+(\\[\\d+\\](\\.[A-Za-z]+)?)?)?): .+");
    }
  }

  @Property(tries = 1000)
  void neverEchoesASubmittedValue(@ForAll("events") JsonNode event) {
    Decoded d = DECODER.decode(event, NOW);
    if (!d.isValid()) {
      event.get("data").properties().forEach(p -> {
        if (p.getValue().isTextual() && p.getValue().asText().length() >= 6) {
          assertThat(d.error()).doesNotContain(p.getValue().asText());
        }
      });
    }
  }

  @Property(tries = 500)
  void neverThrowsOnArbitraryJson(@ForAll("values") JsonNode anything) {
    Decoded d = DECODER.decode(anything, NOW);
    assertThat(d.isValid()).isFalse();
    assertThat(d.error()).isNotBlank();
  }
}
