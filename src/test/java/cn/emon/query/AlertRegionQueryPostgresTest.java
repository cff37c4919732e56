package cn.emon.query;

import cn.emon.testing.TestServer;
import java.util.Map;

/** {@link AlertRegionQueryContract} on PostgreSQL. */
class AlertRegionQueryPostgresTest extends AlertRegionQueryContract {
  @Override
  TestServer start(Map<String, Object> settings) throws Exception {
    return TestServer.postgres(settings);
  }
}
