package cn.emon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The server's own arguments: none runs it, --help and --version print, anything else is refused. */
class CommandLineTest {

  @Test
  void noArgumentsRunsTheServer() {
    assertThat(CommandLine.parse(List.of())).isInstanceOf(CommandLine.Run.class);
  }

  @Test
  void helpAndVersionAreAnsweredAlone() {
    assertThat(CommandLine.parse(List.of("--help"))).isInstanceOf(CommandLine.Help.class);
    assertThat(CommandLine.parse(List.of("-h"))).isInstanceOf(CommandLine.Help.class);
    assertThat(CommandLine.parse(List.of("--version"))).isInstanceOf(CommandLine.Version.class);
    assertThat(CommandLine.parse(List.of("--help", "--version")))
        .isEqualTo(new CommandLine.Invalid("give --help or --version alone"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "-Demon.http.port=8081 | '-Demon.http.port=...' is a JVM option: write it before -jar (java -Demon.http.port=<value> -jar employment-monitor.jar)",
      "-Xmx2g | '-Xmx2g' is a JVM option: write it before -jar (java -Xmx2g -jar employment-monitor.jar)",
      "--port=8081 | unknown argument '--port=...'",
      "serve | unknown argument 'serve'"})
  void refusesAnythingElseNamingIt(String argument, String problem) {
    CommandLine parsed = CommandLine.parse(List.of(argument));
    assertThat(parsed).isInstanceOf(CommandLine.Invalid.class);
    assertThat(((CommandLine.Invalid) parsed).problem()).startsWith(problem);
  }

  @Test
  void namesTheFirstArgumentItDoesNotKnowEvenAfterItsOwnOptions() {
    assertThat(CommandLine.parse(List.of("--version", "--verbose")))
        .isEqualTo(new CommandLine.Invalid("unknown argument '--verbose'"));
  }

  @Test
  void neverRepeatsTheValueOfARefusedSetting() {
    CommandLine.Invalid parsed = (CommandLine.Invalid) CommandLine.parse(List.of("-Demon.db.password=s3cret"));
    assertThat(parsed.problem()).contains("-Demon.db.password=").doesNotContain("s3cret");
  }

  @Test
  void usageSaysHowSettingsReachTheServer() {
    assertThat(CommandLine.usage())
        .contains("-Dconfig.file=", "BEFORE -jar", "-Dconfig.override_with_env_vars=true",
            "CONFIG_FORCE_emon_http_port", "EMON_DB_URL", "docs/configuration.md", "--version");
  }
}
