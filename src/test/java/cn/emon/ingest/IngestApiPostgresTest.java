package cn.emon.ingest;

import cn.emon.testing.TestServer;
import java.util.Map;

/** The ingest contract on PostgreSQL (skipped with a reason when no PostgreSQL is configured). */
class IngestApiPostgresTest extends IngestApiContract {

  @Override
  TestServer startServer() throws Exception {
    return TestServer.postgres(Map.of());
  }
}
