package cn.emon.ingest;

import java.util.List;

/** The body of a 200 answer to {@code POST /api/v1/events}: counts and per-event results in request order. */
public record IngestResponse(int accepted, int duplicates, int rejected, List<Result> results) {

  /** One event's outcome; {@code code} (an {@link cn.emon.ErrorCode} wire name) and {@code error} only for rejections. */
  public record Result(String id, String status, String code, String error) {}
}
