package cn.emon.ingest;

import cn.emon.testing.TestServer;
import java.util.Map;

/** The ingest contract on the embedded H2 default, proving the README's run command. */
class IngestApiH2Test extends IngestApiContract {

  @Override
  TestServer startServer() throws Exception {
    return TestServer.h2(Map.of());
  }
}
