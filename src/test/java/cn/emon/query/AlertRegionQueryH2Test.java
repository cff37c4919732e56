package cn.emon.query;

import cn.emon.testing.TestServer;
import java.util.Map;

/** {@link AlertRegionQueryContract} on embedded H2. */
class AlertRegionQueryH2Test extends AlertRegionQueryContract {
  @Override
  TestServer start(Map<String, Object> settings) throws Exception {
    return TestServer.h2(settings);
  }
}
