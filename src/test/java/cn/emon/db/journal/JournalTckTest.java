package cn.emon.db.journal;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.db.Database;
import cn.emon.db.DatabaseSettings;
import cn.emon.testing.TestServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scalatest.Args;
import org.scalatest.ConfigMap$;
import org.scalatest.Filter$;
import org.scalatest.Reporter;
import org.scalatest.Status;
import org.scalatest.Stopper;
import org.scalatest.Tracker;
import org.scalatest.events.Ordinal;
import org.scalatest.events.TestFailed;
import org.scalatest.events.TestSucceeded;
import scala.Option;

/**
 * The journal with our DAO ({@link BatchJournalDao}) passes Pekko's persistence plugin TCK on both
 * databases, in a fresh database each, with the schema our migrations create.
 */
class JournalTckTest {

  /** ScalaTest's default stopper, which Java cannot name ({@code default} is a keyword). */
  private static final Stopper NEVER_STOP = new Stopper() {
    @Override
    public boolean stopRequested() {
      return false;
    }

    @Override
    public void requestStop() {}
  };

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgres"})
  void journalPassesThePluginTck(String kind) throws Exception {
    String url = kind.equals("h2")
        ? "jdbc:h2:file:" + Files.createTempDirectory("emon-tck").resolve("emon") + ";DATABASE_TO_UPPER=false"
        : TestServer.createPostgresDatabase();
    try {
      Map<String, Object> db = new HashMap<>();
      db.put("url", url);
      db.put("user", kind.equals("h2") ? "" : "postgres");
      DatabaseSettings settings = DatabaseSettings.from(ConfigFactory.parseMap(db)
          .withFallback(ConfigFactory.load().getConfig("emon.db")));
      try (HikariDataSource ds = Database.open(settings)) {
        Database.migrate(ds, settings);
      }
      Config config = settings.pekkoOverrides()
          .withFallback(ConfigFactory.parseMap(Map.of(
              "pekko.actor.provider", "local",
              "pekko.coordinated-shutdown.exit-jvm", "off",
              // The TCK waits 3 s for each answer; a shared 2-core CI machine needs more room.
              "pekko.test.timefactor", "10",
              "pekko.persistence.journal.plugin", "jdbc-journal",
              "pekko.loglevel", "WARNING")))
          .withFallback(ConfigFactory.load())
          .resolve();
      assertThat(config.getString("jdbc-journal.dao")).isEqualTo(BatchJournalDao.class.getName());

      List<String> failures = new ArrayList<>();
      List<String> passed = new ArrayList<>();
      Reporter reporter = event -> {
        if (event instanceof TestFailed f) {
          failures.add(f.testName() + ": " + f.message());
        } else if (event instanceof TestSucceeded s) {
          passed.add(s.testName());
        }
      };
      Args args = new Args(reporter, NEVER_STOP, Filter$.MODULE$.apply(Filter$.MODULE$.apply$default$1(), Filter$.MODULE$.apply$default$2(),
          Filter$.MODULE$.apply$default$3(), Filter$.MODULE$.apply$default$4()), ConfigMap$.MODULE$.empty(),
          Option.empty(), new Tracker(new Ordinal(0)), scala.collection.immutable.Set$.MODULE$.empty(), false, Option.empty(),
          Option.empty());
      Status status = new JournalSpecSuite(config).run(Option.empty(), args);
      assertThat(failures).as("TCK failures on " + kind).isEmpty();
      assertThat(status.succeeds()).isTrue();
      assertThat(passed).as("TCK tests run").hasSizeGreaterThanOrEqualTo(15)
          .anyMatch(t -> t.contains("replay all messages"))
          .anyMatch(t -> t.contains("reject non-serializable events"));
      System.out.println("JournalSpec on " + kind + ": " + passed.size() + " tests passed");
    } finally {
      TestServer.dropPostgresDatabase(url);
    }
  }
}
