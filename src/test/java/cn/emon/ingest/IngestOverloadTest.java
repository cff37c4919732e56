package cn.emon.ingest;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient.Response;
import cn.emon.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no admission capacity, ingest answers 503 with Retry-After and stores nothing. */
class IngestOverloadTest {

  @Test
  void answers503WithRetryAfterWhenNoCapacityIsLeft() throws Exception {
    try (TestServer server = TestServer.h2(Map.of("emon.ingest.max-concurrent-requests", 0))) {
      Response r = server.client().ingest(registered("522701-over", "522701", false, member("m1", "ORDINARY", false)));
      IngestApiContract.assertProblem(r, 503, "ingest: too many requests");
      assertThat(r.header("Retry-After")).isEqualTo("1");
      assertThat(server.client().get("/api/v1/households/522701-over", "dev-read-token").status()).isEqualTo(404);
    }
  }
}
