package cn.emon.export;

import cn.emon.testing.TestServer;
import java.util.Map;

/** {@link ExportApiContract} on embedded H2. */
class ExportApiH2Test extends ExportApiContract {
  @Override
  TestServer start(Map<String, Object> settings) throws Exception {
    return TestServer.h2(settings);
  }
}
