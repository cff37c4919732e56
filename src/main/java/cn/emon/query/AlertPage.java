package cn.emon.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of {@code GET /api/v1/alerts}; {@code nextCursor} is null on the last page. */
public record AlertPage(List<AlertView> alerts, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}
