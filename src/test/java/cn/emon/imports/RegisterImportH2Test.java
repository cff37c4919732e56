package cn.emon.imports;

import cn.emon.testing.TestServer;
import java.util.Map;

/** The register import on the embedded H2 default. */
class RegisterImportH2Test extends RegisterImportContract {

  @Override
  TestServer startServer() throws Exception {
    return TestServer.h2(Map.of("emon.imports.max-file-bytes", "2m", "emon.imports.batch-size", 100));
  }
}
