package cn.emon.http;

import cn.emon.ErrorCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON in and out of the HTTP API. Input parsing is strict and bounded. */
public final class JsonSupport {

  /** Writes responses: ISO-8601 instants, absent fields left out. */
  public static final ObjectMapper WRITER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  /**
   * Reads requests: duplicate keys are an error, nesting and number lengths are capped so a
   * hostile body costs little, and parse errors never echo the input.
   */
  public static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(32)
              .maxNumberLength(32)
              .maxStringLength(1_000_000)
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonParser.Feature.ALLOW_COMMENTS)
      .build();

  private JsonSupport() {}

  public static byte[] write(Object value) {
    try {
      return WRITER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render response", e);
    }
  }

  public static HttpResponse ok(Object value) {
    return json(200, value);
  }

  public static HttpResponse json(int status, Object value) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, write(value)));
  }

  /** Parses a request body, turning any parse failure into a 400 that names the problem. */
  public static JsonNode parse(byte[] body) {
    try {
      JsonNode node = READER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest(ErrorCode.BODY_NOT_JSON, "body: empty, expected JSON");
      }
      return node;
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw ApiException.badRequest(ErrorCode.BODY_NOT_JSON, "body: JSON exceeds the nesting or number-length limits");
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
          ? "duplicate object key" : "malformed JSON";
      throw ApiException.badRequest(ErrorCode.BODY_NOT_JSON, "body: " + what + " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw ApiException.badRequest(ErrorCode.BODY_NOT_JSON, "body: not valid JSON (" + e.getClass().getSimpleName() + ")");
    }
  }
}
