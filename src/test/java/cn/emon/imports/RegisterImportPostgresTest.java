package cn.emon.imports;

import cn.emon.testing.TestServer;
import java.util.Map;

/** The register import on PostgreSQL (skipped without EMON_TEST_PG_URL, failed with EMON_TEST_REQUIRE_PG). */
class RegisterImportPostgresTest extends RegisterImportContract {

  @Override
  TestServer startServer() throws Exception {
    return TestServer.postgres(Map.of("emon.imports.max-file-bytes", "2m", "emon.imports.batch-size", 100));
  }
}
