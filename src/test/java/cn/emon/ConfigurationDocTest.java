package cn.emon;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} and the configuration files from drifting apart: every
 * {@code emon} key of {@code application.conf} (with what it includes) is in the table and every
 * key of the table exists, likewise {@code emon.node} of {@code config/cluster.conf}; every Pekko key
 * the operator table lists exists; and each default written as code is the file's value. The
 * example files under {@code config/} set only keys that exist.
 *
 * <p>A table row is {@code | `key` | default | meaning |}. A default starting with a code span is
 * parsed as HOCON and compared with the file's value; a prose default is allowed only where the value
 * is no scalar (the token list) or the row names a whole Pekko dispatcher block.
 */
class ConfigurationDocTest {

  private static final Path DOC = Path.of("docs/configuration.md");
  private static final String EMON_TABLE = "## Every `emon` key";
  private static final String NODE_TABLE = "### `emon.node` (only in `config/cluster.conf`)";
  private static final String PEKKO_TABLE = "## Pekko and library keys an operator sets";

  private static final Pattern HEADING = Pattern.compile("^#{2,3} .*");
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.*?) \\| (.*) \\|$");
  private static final Pattern CODE_FIRST = Pattern.compile("^`([^`]*)`");

  /** One row of a key table. */
  record Row(String key, String defaultCell, String meaning) {}

  @Test
  void everyEmonKeyOfApplicationConfIsDocumentedAndEveryDocumentedKeyExists() throws IOException {
    Config defaults = application();
    Map<String, Row> rows = table(EMON_TABLE);
    Set<String> documented = new TreeSet<>(rows.keySet());
    Set<String> inFile = documentableKeys(defaults.getConfig("emon"), "emon");

    assertThat(difference(inFile, documented)).as("keys of application.conf missing from " + DOC).isEmpty();
    assertThat(difference(documented, inFile)).as("keys in " + DOC + " that application.conf does not have").isEmpty();
    rows.values().forEach(row -> assertDefault(row, defaults));
  }

  @Test
  void theNodeKeysOfClusterConfAreDocumented() throws IOException {
    Config cluster = ConfigFactory.parseFile(Path.of("config/cluster.conf").toFile(),
        ConfigParseOptions.defaults().setAllowMissing(false)).resolve(ConfigResolveOptions.noSystem());
    Map<String, Row> rows = table(NODE_TABLE);
    Set<String> inFile = documentableKeys(cluster.getConfig("emon.node"), "emon.node");
    assertThat(rows.keySet()).as(NODE_TABLE).containsExactlyInAnyOrderElementsOf(inFile);
    rows.values().forEach(row -> assertDefault(row, cluster));
  }

  @Test
  void everyPekkoKeyTheOperatorTableListsExistsWithItsDefault() throws IOException {
    Config shipped = application().withFallback(ConfigFactory.defaultReference())
        .resolve(ConfigResolveOptions.noSystem());
    Map<String, Row> rows = table(PEKKO_TABLE);
    assertThat(rows).as(PEKKO_TABLE).isNotEmpty();
    for (Row row : rows.values()) {
      assertThat(shipped.hasPathOrNull(row.key())).as(row.key() + " exists in the shipped configuration").isTrue();
      assertDefault(row, shipped);
    }
    assertThat(rows.keySet()).as("the pool sizes and the keys config/cluster.conf sets").contains(
        "pekko.cluster.seed-nodes", "pekko.cluster.downing-provider-class",
        "pekko-persistence-jdbc.shared-databases.slick.db.maxConnections");
  }

  @Test
  void everyKeyTableOfTheDocumentIsOneThisTestChecks() throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    String heading = null;
    Set<String> headingsWithKeyRows = new TreeSet<>();
    for (String line : lines) {
      if (HEADING.matcher(line).matches()) {
        heading = line;
      } else {
        Matcher m = ROW.matcher(line);
        if (m.matches() && m.group(1).matches("(emon|pekko)\\S*")) {
          headingsWithKeyRows.add(heading);
        }
      }
    }
    assertThat(headingsWithKeyRows).containsExactlyInAnyOrder(EMON_TABLE, NODE_TABLE, PEKKO_TABLE);
  }

  @Test
  void theExampleFilesSetOnlyKeysThatExist() throws IOException {
    Set<String> known = documentableLeaves(application().root(), "");
    known.addAll(List.of("emon.node.host", "emon.node.port"));
    Config reference = ConfigFactory.defaultReference();
    for (String file : List.of("config/postgresql.conf", "config/cluster.conf", "config/emon.conf.example")) {
      // Only what the file itself sets: its include of the defaults is left out.
      String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceAll("(?m)^include .*$", "");
      ConfigObject own = ConfigFactory.parseString(text).root();
      for (String key : documentableLeaves(own, "")) {
        boolean exists = key.startsWith("emon.") ? known.contains(key) : reference.hasPathOrNull(key) || known.contains(key);
        assertThat(exists).as(file + " sets " + key + ", which the server does not know").isTrue();
      }
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private static Config application() {
    return ConfigFactory.parseResources("application.conf").resolve(ConfigResolveOptions.noSystem());
  }

  /** The rows of the table under {@code heading}, by key; fails when the heading or its table is missing. */
  private static Map<String, Row> table(String heading) throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    int start = lines.indexOf(heading);
    assertThat(start).as(DOC + " has the heading " + heading).isNotNegative();
    Map<String, Row> rows = new LinkedHashMap<>();
    for (int i = start + 1; i < lines.size() && !HEADING.matcher(lines.get(i)).matches(); i++) {
      Matcher m = ROW.matcher(lines.get(i));
      if (m.matches()) {
        Row previous = rows.put(m.group(1), new Row(m.group(1), m.group(2), m.group(3)));
        assertThat(previous).as(m.group(1) + " listed twice").isNull();
      }
    }
    assertThat(rows).as("rows under " + heading).isNotEmpty();
    return rows;
  }

  /** The keys a table lists: leaves, except that a Pekko dispatcher block counts as one key. */
  private static Set<String> documentableKeys(Config config, String prefix) {
    return documentableLeaves(config.root(), prefix);
  }

  private static Set<String> documentableLeaves(ConfigObject object, String prefix) {
    Set<String> keys = new TreeSet<>();
    object.forEach((name, value) -> {
      String path = prefix.isEmpty() ? ConfigUtil.joinPath(name) : prefix + "." + ConfigUtil.joinPath(name);
      if (value instanceof ConfigObject child && !isDispatcher(child)) {
        keys.addAll(documentableLeaves(child, path));
      } else {
        keys.add(path);
      }
    });
    return keys;
  }

  private static boolean isDispatcher(ConfigObject object) {
    ConfigValue type = object.get("type");
    return type != null && type.valueType() == ConfigValueType.STRING && "Dispatcher".equals(type.unwrapped());
  }

  private static void assertDefault(Row row, Config config) {
    ConfigValue actual = config.getValue(row.key());
    Matcher code = CODE_FIRST.matcher(row.defaultCell());
    if (code.find()) {
      ConfigValue documented = ConfigFactory.parseString("v = " + code.group(1)).getValue("v");
      assertThat(String.valueOf(documented.unwrapped()))
          .as("default of " + row.key() + " in " + DOC).isEqualTo(String.valueOf(actual.unwrapped()));
    } else {
      boolean scalarOrScalarList = switch (actual.valueType()) {
        case OBJECT -> false;
        case LIST -> config.getList(row.key()).stream().noneMatch(v -> v.valueType() == ConfigValueType.OBJECT);
        default -> true;
      };
      assertThat(scalarOrScalarList)
          .as(row.key() + ": a plain value needs its default written as code in " + DOC).isFalse();
    }
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }
}
