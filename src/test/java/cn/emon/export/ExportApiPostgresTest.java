package cn.emon.export;

import cn.emon.testing.TestServer;
import java.util.Map;

/** {@link ExportApiContract} on PostgreSQL, where the rows are read through a cursor. */
class ExportApiPostgresTest extends ExportApiContract {
  @Override
  TestServer start(Map<String, Object> settings) throws Exception {
    return TestServer.postgres(settings);
  }
}
