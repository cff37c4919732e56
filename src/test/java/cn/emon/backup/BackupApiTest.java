package cn.emon.backup;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Events;
import cn.emon.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/backups} on a real server: admin only, a whole zip per call, refused on PostgreSQL. */
class BackupApiTest {

  @Test
  void adminWritesAZipOfTheEmbeddedDatabaseIntoTheConfiguredDirectoryAndNobodyElseMay() throws Exception {
    Path directory = Files.createTempDirectory("emon-backups").resolve("not-yet-there");
    try (TestServer server = TestServer.h2(Map.of("emon.backup.directory", directory.toString()))) {
      ApiClient api = server.client();
      assertThat(api.ingest(Events.registered("522701-bk-1", "522701", false,
          Events.member("m1", "ORDINARY", false))).status()).isEqualTo(200);

      assertThat(api.post("/api/v1/backups", null, null, "").status()).isEqualTo(401);
      for (String token : List.of("dev-read-token", "dev-ingest-token")) {
        ApiClient.Response r = api.post("/api/v1/backups", token, null, "");
        assertThat(r.status()).as(token).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).isEqualTo("token role may not take backups");
      }
      assertThat(directory).as("refused calls write nothing").doesNotExist();

      ApiClient.Response first = api.post("/api/v1/backups", "dev-admin-token", null, "");
      assertThat(first.status()).as(first.body()).isEqualTo(201);
      String name = first.json().get("file").asText();
      assertThat(name).matches("emon-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\\.zip");
      Path file = directory.resolve(name);
      assertThat(first.json().get("path").asText()).isEqualTo(file.toAbsolutePath().toString());
      assertThat(first.json().get("bytes").asLong()).isEqualTo(Files.size(file)).isPositive();
      try (ZipFile zip = new ZipFile(file.toFile())) {
        List<String> entries = zip.stream().map(ZipEntry::getName).toList();
        assertThat(entries).containsExactly("emon.mv.db");
      }

      ApiClient.Response second = api.post("/api/v1/backups", "dev-admin-token", null, "");
      assertThat(second.status()).as(second.body()).isEqualTo(201);
      assertThat(second.json().get("file").asText()).as("a second backup never overwrites the first").isNotEqualTo(name);
      try (Stream<Path> files = Files.list(directory)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
            .as("only whole backups, no .part left behind")
            .containsExactlyInAnyOrder(name, second.json().get("file").asText());
      }
    }
  }

  @Test
  void onPostgresqlPointsToPgDumpAndWritesNothing() throws Exception {
    Path directory = Files.createTempDirectory("emon-backups").resolve("pg");
    try (TestServer server = TestServer.postgres(Map.of("emon.backup.directory", directory.toString()))) {
      ApiClient.Response r = server.client().post("/api/v1/backups", "dev-admin-token", null, "");
      assertThat(r.status()).as(r.body()).isEqualTo(409);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("detail").asText())
          .isEqualTo("backup: the database is PostgreSQL; back it up with pg_dump (README: Backups)");
      assertThat(directory).doesNotExist();
    }
  }
}
