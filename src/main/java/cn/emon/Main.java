package cn.emon;

import cn.emon.alerting.AlertRules;
import cn.emon.alerting.RuleSettings;
import cn.emon.auth.AuthSettings;
import cn.emon.auth.Authenticator;
import cn.emon.backup.BackupRoutes;
import cn.emon.backup.BackupSettings;
import cn.emon.console.ConsoleRoutes;
import cn.emon.db.Database;
import cn.emon.db.DatabaseSettings;
import cn.emon.db.JournalStatistics;
import cn.emon.deadlines.DeadlineScanner;
import cn.emon.deadlines.DeadlinesFold;
import cn.emon.deadlines.DeadlineSettings;
import cn.emon.export.ExportRoutes;
import cn.emon.export.ExportSettings;
import cn.emon.household.Household;
import cn.emon.household.HouseholdSettings;
import cn.emon.http.DocsRoutes;
import cn.emon.http.HttpServer;
import cn.emon.http.HttpSettings;
import cn.emon.http.OpenApiRoutes;
import cn.emon.imports.ImportSettings;
import cn.emon.imports.Imports;
import cn.emon.ingest.IngestRoutes;
import cn.emon.ingest.IngestSettings;
import cn.emon.metrics.MetricsRoutes;
import cn.emon.metrics.ProjectionMetrics;
import cn.emon.query.AlertRepository;
import cn.emon.query.QueryRoutes;
import cn.emon.readmodel.AlertsFold;
import cn.emon.readmodel.ReadModelProjections;
import cn.emon.readmodel.ReadModelSettings;
import cn.emon.readmodel.Reconciliation;
import cn.emon.stats.RegionStatsFold;
import cn.emon.stats.Regions;
import cn.emon.stats.StatsMetrics;
import cn.emon.stats.StatsRepository;
import cn.emon.stats.StatsRoutes;
import cn.emon.stats.StatsSettings;
import cn.emon.webhook.WebhookSettings;
import cn.emon.webhook.Webhooks;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Employment Monitor: schema, actor system, sharding, projections, scanner, HTTP. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /** What the features share, injected so tests can pass their own (a movable clock, say). */
  public record Dependencies(HikariDataSource dataSource, PrometheusRegistry registry, Clock clock) {}

  /** A running server. */
  public record Running(ActorSystem<Void> system, ServerBinding binding, Dependencies dependencies) {
    public int port() {
      return binding.localAddress().getPort();
    }
  }

  private Main() {}

  public static void main(String[] args) {
    CommandLine command = CommandLine.parse(List.of(args));
    if (command instanceof CommandLine.Help) {
      System.out.print(CommandLine.usage());
      return;
    }
    if (command instanceof CommandLine.Version) {
      System.out.println(CommandLine.version());
      return;
    }
    if (command instanceof CommandLine.Invalid invalid) {
      System.err.println("employment-monitor: " + invalid.problem());
      System.err.println();
      System.err.print(CommandLine.usage());
      System.exit(CommandLine.USAGE_ERROR);
    }
    try {
      start(ConfigFactory.load(), Clock.systemUTC()).toCompletableFuture().join();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      // Straight to stderr: the asynchronous log appender may not flush before exit.
      System.err.println("Employment Monitor failed to start: " + cause.getMessage());
      log.error("Employment Monitor failed to start: {}", cause.getMessage());
      System.exit(1);
    }
  }

  /** Checks the settings, migrates the schema, creates the actor system and starts everything. */
  public static CompletionStage<Running> start(Config loaded, Clock clock) {
    DatabaseSettings db = DatabaseSettings.from(loaded.getConfig("emon.db"));
    Config config = db.pekkoOverrides().withFallback(loaded).resolve();
    StartupChecks.verify(config);
    HikariDataSource dataSource = Database.open(db);
    try {
      StartupChecks.verifyDatabase(dataSource, db);
      Database.migrate(dataSource, db);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "emon", config);
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "close-read-model-pool", () -> {
          dataSource.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    try {
      return init(system, new Dependencies(dataSource, registry, clock));
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /** Wires every feature onto a running actor system. */
  public static CompletionStage<Running> init(ActorSystem<Void> system, Dependencies deps) {
    Config emon = system.settings().config().getConfig("emon");
    Cluster cluster = Cluster.get(system);
    if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }

    AlertRules rules = new AlertRules(RuleSettings.from(emon.getConfig("rules")));
    Household.init(system, rules, deps.clock(), HouseholdSettings.from(emon.getConfig("household")));
    ReadModelSettings readModel = ReadModelSettings.from(emon.getConfig("readmodel"));
    ProjectionMetrics projectionMetrics = new ProjectionMetrics(deps.registry(), deps.clock(), ReadModelProjections.NAME);
    HttpSettings http = HttpSettings.from(emon.getConfig("http"));
    WebhookSettings webhookSettings =
        WebhookSettings.from(emon.getConfig("webhooks"), "http://" + http.host() + ":" + http.port());
    // Every feature's fold of the journal, run together in each projection transaction.
    ReadModelProjections.init(system, deps.dataSource(), readModel, projectionMetrics, List.of(
        AlertsFold::new, DeadlinesFold::new, RegionStatsFold::new, Webhooks.outbox(webhookSettings, deps.clock())));
    Reconciliation.start(system, new Reconciliation(deps.dataSource(), deps.registry()),
        readModel.reconcileInterval());
    DeadlineScanner.init(system, deps.dataSource(), deps.clock(), DeadlineSettings.from(emon.getConfig("rules")));
    DatabaseSettings db = DatabaseSettings.from(emon.getConfig("db"));
    if (db.vendor() == DatabaseSettings.Vendor.POSTGRESQL) {
      JournalStatistics.start(system, new JournalStatistics(deps.dataSource()), db.analyzeInterval());
    }

    Regions regions = Regions.load();
    StatsSettings statsSettings = StatsSettings.from(emon.getConfig("stats"));
    StatsRepository stats = new StatsRepository(deps.dataSource());
    StatsMetrics.register(deps.registry(), stats, regions, statsSettings);
    AlertRepository alerts = new AlertRepository(deps.dataSource());

    Authenticator authenticator = new Authenticator(AuthSettings.from(emon.getConfig("auth")));
    Route webhooks = Webhooks.init(system, deps.dataSource(), deps.registry(), deps.clock(), webhookSettings,
        authenticator);
    IngestRoutes ingest = new IngestRoutes(system, authenticator, IngestSettings.from(emon.getConfig("ingest")),
        deps.registry(), deps.clock());
    Route imports = Imports.init(system, deps.dataSource(), deps.clock(),
        ImportSettings.from(emon.getConfig("imports")), authenticator, ingest);
    AtomicBoolean bound = new AtomicBoolean(false);
    HttpServer server = new HttpServer(http,
        () -> bound.get() && cluster.selfMember().status() == MemberStatus.up() && databaseReachable(deps));
    return server.start(system,
        List.of(
            ingest.route(),
            imports,
            new QueryRoutes(system, authenticator, rules, alerts, deps.clock()).route(),
            new StatsRoutes(system, authenticator, stats, alerts, regions, statsSettings, deps.clock()).route(),
            webhooks,
            new BackupRoutes(system, authenticator, deps.dataSource(), db.vendor() == DatabaseSettings.Vendor.H2,
                BackupSettings.from(emon.getConfig("backup")), deps.clock()).route(),
            new ExportRoutes(system, authenticator, deps.dataSource(), alerts, regions,
                ExportSettings.from(emon.getConfig("exports")), deps.clock()).route(),
            new OpenApiRoutes(authenticator).route()),
        List.of(new MetricsRoutes(deps.registry()).route(system.dispatchers()
            .lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"))), new DocsRoutes().route(),
            new ConsoleRoutes().route()))
        .thenApply(binding -> {
          bound.set(true);
          return new Running(system, binding, deps);
        });
  }

  private static boolean databaseReachable(Dependencies deps) {
    try (Connection c = deps.dataSource().getConnection()) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }
}
