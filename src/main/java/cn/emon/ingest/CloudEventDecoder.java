package cn.emon.ingest;

import cn.emon.ErrorCode;
import cn.emon.alerting.Channel;
import cn.emon.alerting.EndReason;
import cn.emon.alerting.LaborCapacity;
import cn.emon.household.Household;
import cn.emon.household.Household.EventMeta;
import cn.emon.household.Household.MemberSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates one CloudEvent (JSON structured mode) and turns it into a household domain event;
 * binary content mode is first mapped to the structured form ({@link #fromBinary}), so both modes
 * are validated alike. Error messages name the field and the rule, never the offending value, so
 * no personal data submitted by mistake is echoed.
 */
public final class CloudEventDecoder {

  /** Household, member, placement, programme and helper ids. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final Pattern REGION = Pattern.compile("[0-9]{6}|[0-9]{9}|[0-9]{12}");
  static final int MAX_TEXT = 200;
  static final int MAX_MEMBERS = 100;

  private final Duration maxClockSkew;

  public CloudEventDecoder(Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
  }

  /** Thrown inside decoding to reject the event; the message names the field. */
  static final class Invalid extends RuntimeException {
    final ErrorCode code;

    Invalid(String message) {
      this(ErrorCode.FIELD_INVALID, message);
    }

    Invalid(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  public Decoded decode(JsonNode node, Instant now) {
    if (!node.isObject()) {
      return Decoded.rejected(null, null, ErrorCode.FIELD_INVALID, "event: must be a JSON object");
    }
    String id = node.path("id").isTextual() ? node.get("id").asText() : null;
    String type = node.path("type").isTextual() ? node.get("type").asText() : null;
    try {
      return Decoded.ok(decodeObject(node, now));
    } catch (Invalid e) {
      return Decoded.rejected(id != null && id.length() <= 256 ? id : null,
          type != null && type.length() <= 64 ? type : null, e.code, e.getMessage());
    }
  }

  private Household.DomainEvent decodeObject(JsonNode e, Instant now) {
    String specversion = text(e, "specversion", true, 8);
    if (!"1.0".equals(specversion)) {
      throw new Invalid("specversion: must be \"1.0\"");
    }
    String id = text(e, "id", true, 256);
    String source = text(e, "source", true, 256);
    String type = text(e, "type", true, 64);
    if (!TYPES.contains(type)) {
      throw new Invalid(ErrorCode.UNKNOWN_TYPE, "type: unknown event type; expected one of " + String.join(", ", TYPES));
    }
    String subject = id(e, "subject", true);
    Instant time = instant(e, "time");
    if (time.isAfter(now.plus(maxClockSkew))) {
      throw new Invalid(ErrorCode.TIME_IN_FUTURE, "time: lies in the future");
    }
    JsonNode dataContentType = e.get("datacontenttype");
    if (dataContentType != null && !(dataContentType.isTextual()
        && dataContentType.asText().startsWith("application/json"))) {
      throw new Invalid("datacontenttype: must be application/json");
    }
    JsonNode data = e.get("data");
    if (data == null || !data.isObject()) {
      throw new Invalid(data == null || data.isNull() ? ErrorCode.FIELD_MISSING : ErrorCode.FIELD_INVALID,
          "data: required, must be a JSON object");
    }
    EventMeta meta = new EventMeta(source, id, type, time, null);
    Fields d = new Fields(data);
    return switch (type) {
      case "household.registered" -> new Household.HouseholdRegistered(subject, meta,
          d.region("regionCode", true), d.bool("deepPovertyArea", false), d.members());
      case "member.updated" -> new Household.MemberUpdated(subject, meta, d.id("memberId", true),
          d.enumValue("laborCapacity", LaborCapacity.class, false), d.boolOrNull("wantsTraining"));
      case "member.removed" -> new Household.MemberRemoved(subject, meta, d.id("memberId", true),
          d.text("reason", false));
      case "placement.started" -> {
        LocalDate start = d.date("startDate", true);
        LocalDate expectedEnd = d.date("expectedEndDate", false);
        if (expectedEnd != null && expectedEnd.isBefore(start)) {
          throw new Invalid("data.expectedEndDate: must not be before data.startDate");
        }
        yield new Household.PlacementStarted(subject, meta, d.id("memberId", true),
            d.id("placementId", true), d.enumValue("channel", Channel.class, true),
            d.text("employer", false), d.region("workRegionCode", false), start, expectedEnd,
            d.amount("monthlyIncomeYuan"));
      }
      case "placement.verified" -> {
        LocalDate verifiedOn = d.date("verifiedOn", true);
        // A verification is a past fact; a future date would keep the job "verified" for years.
        if (verifiedOn.isAfter(LocalDate.ofInstant(now.plus(maxClockSkew), java.time.ZoneOffset.ofHours(14)))) {
          throw new Invalid(ErrorCode.TIME_IN_FUTURE, "data.verifiedOn: lies in the future");
        }
        yield new Household.PlacementVerified(subject, meta, d.id("placementId", true), verifiedOn);
      }
      case "placement.ended" -> new Household.PlacementEnded(subject, meta,
          d.id("placementId", true), d.date("endDate", true),
          d.enumValue("reason", EndReason.class, true));
      case "training.enrolled" -> new Household.TrainingEnrolled(subject, meta,
          d.id("memberId", true), d.id("programId", true), d.date("startDate", true));
      case "training.completed" -> new Household.TrainingCompleted(subject, meta,
          d.id("memberId", true), d.id("programId", true), d.date("endDate", true),
          d.boolOrNull("certified"));
      case "helper.assigned" -> new Household.HelperAssigned(subject, meta,
          d.id("helperId", true), d.text("helperName", false));
      case "household.closed" -> new Household.HouseholdClosed(subject, meta, d.text("reason", true));
      default -> throw new IllegalStateException("type was checked against TYPES above");
    };
  }

  /**
   * The structured form of an event received in binary content mode (CloudEvents HTTP binding
   * §3.1): each {@code ce-<name>} header becomes attribute {@code name}, its value percent-decoded;
   * the body becomes {@code data} and its Content-Type {@code datacontenttype}. A {@code ce-data}
   * header is ignored: in binary mode the data is the body and nothing else.
   *
   * @param attributes header values by attribute name (lower case, without {@code ce-})
   * @param data the parsed body, or null when there is none
   */
  public static ObjectNode fromBinary(Map<String, String> attributes, JsonNode data, String contentType) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    attributes.forEach((name, value) -> {
      if (!name.equals("data") && !name.equals("data_base64") && !name.equals("datacontenttype")) {
        event.put(name, percentDecoded(value));
      }
    });
    if (data != null) {
      event.put("datacontenttype", contentType);
      event.set("data", data);
    }
    return event;
  }

  /**
   * Undoes the HTTP binding's percent-encoding of header values (§3.1.3.2: {@code %XX} for bytes
   * of UTF-8 outside printable ASCII, space, {@code "} and {@code %}). Senders that do not encode
   * (the Java SDK's basic binding) send a literal {@code %} followed by anything; a value that does
   * not decode to valid UTF-8 is therefore taken as it stands.
   */
  static String percentDecoded(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    byte[] raw = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
      if (raw[i] == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        bytes.write(raw[i]);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return value;
    }
  }

  /** The event types of CONTRACT §3. */
  public static final List<String> TYPES = List.of("household.registered", "member.updated",
      "member.removed", "placement.started", "placement.verified", "placement.ended",
      "training.enrolled", "training.completed", "helper.assigned", "household.closed");

  // ------------------------------------------------------------------------- field readers

  private static String text(JsonNode node, String field, boolean required, int maxLength) {
    return text(node, field, field, required, maxLength);
  }

  private static String text(JsonNode node, String field, String name, boolean required, int maxLength) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new Invalid(ErrorCode.FIELD_MISSING, name + ": required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid(name + ": must be a string");
    }
    String s = v.asText();
    if (required && s.isBlank()) {
      throw new Invalid(name + ": must not be empty");
    }
    if (s.length() > maxLength) {
      throw new Invalid(name + ": longer than " + maxLength + " characters");
    }
    return s;
  }

  private static String id(JsonNode node, String field, boolean required) {
    return id(node, field, field, required);
  }

  private static String id(JsonNode node, String field, String name, boolean required) {
    String s = text(node, field, name, required, 64);
    if (s != null && !ID.matcher(s).matches()) {
      throw new Invalid(name + ": must be 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    return s;
  }

  private static Instant instant(JsonNode node, String field) {
    String s = text(node, field, true, 64);
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException ex) {
      throw new Invalid(field + ": must be an RFC 3339 timestamp with offset, e.g. 2026-11-20T09:30:00+08:00");
    }
  }

  /** Reads the fields of {@code data}, naming them {@code data.<field>} in errors. */
  private static final class Fields {
    private final JsonNode data;

    Fields(JsonNode data) {
      this.data = data;
    }

    String text(String field, boolean required) {
      return CloudEventDecoder.text(data, field, "data." + field, required, MAX_TEXT);
    }

    String id(String field, boolean required) {
      return CloudEventDecoder.id(data, field, "data." + field, required);
    }

    String region(String field, boolean required) {
      String s = CloudEventDecoder.text(data, field, "data." + field, required, 12);
      if (s != null && !REGION.matcher(s).matches()) {
        throw new Invalid("data." + field + ": must be a GB/T 2260 code of 6, 9 or 12 digits");
      }
      return s;
    }

    LocalDate date(String field, boolean required) {
      String s = CloudEventDecoder.text(data, field, "data." + field, required, 10);
      if (s == null) {
        return null;
      }
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException ex) {
        throw new Invalid("data." + field + ": must be an ISO-8601 date, e.g. 2026-11-20");
      }
    }

    boolean bool(String field, boolean defaultValue) {
      Boolean b = boolOrNull(field);
      return b == null ? defaultValue : b;
    }

    Boolean boolOrNull(String field) {
      JsonNode v = data.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isBoolean()) {
        throw new Invalid("data." + field + ": must be true or false");
      }
      return v.booleanValue();
    }

    Long amount(String field) {
      JsonNode v = data.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > 10_000_000) {
        throw new Invalid("data." + field + ": must be a whole number of yuan between 0 and 10000000");
      }
      return v.longValue();
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type, boolean required) {
      String s = CloudEventDecoder.text(data, field, "data." + field, required, 64);
      if (s == null) {
        return null;
      }
      try {
        return Enum.valueOf(type, s);
      } catch (IllegalArgumentException ex) {
        throw new Invalid("data." + field + ": must be one of " + Arrays.stream(type.getEnumConstants())
            .map(Enum::name).collect(Collectors.joining(", ")));
      }
    }

    List<MemberSpec> members() {
      JsonNode v = data.get("members");
      if (v == null || v.isNull()) {
        throw new Invalid(ErrorCode.FIELD_MISSING, "data.members: required");
      }
      if (!v.isArray()) {
        throw new Invalid("data.members: must be an array");
      }
      if (v.size() > MAX_MEMBERS) {
        throw new Invalid("data.members: more than " + MAX_MEMBERS + " members");
      }
      List<MemberSpec> members = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode m = v.get(i);
        String at = "data.members[" + i + "]";
        if (!m.isObject()) {
          throw new Invalid(at + ": must be an object");
        }
        String memberId = CloudEventDecoder.id(m, "memberId", at + ".memberId", true);
        if (!seen.add(memberId)) {
          throw new Invalid(at + ".memberId: listed twice");
        }
        String capacity = CloudEventDecoder.text(m, "laborCapacity", at + ".laborCapacity", true, 64);
        LaborCapacity lc;
        try {
          lc = LaborCapacity.valueOf(capacity);
        } catch (IllegalArgumentException ex) {
          throw new Invalid(at + ".laborCapacity: must be one of SKILLED, ORDINARY, WEAK, LOST, NONE");
        }
        JsonNode wants = m.get("wantsTraining");
        if (wants != null && !wants.isNull() && !wants.isBoolean()) {
          throw new Invalid(at + ".wantsTraining: must be true or false");
        }
        members.add(new MemberSpec(memberId, lc, wants != null && wants.asBoolean(false)));
      }
      return List.copyOf(members);
    }
  }
}
