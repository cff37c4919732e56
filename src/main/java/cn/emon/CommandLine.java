package cn.emon;

import java.util.List;

/**
 * The server's own arguments: none to run, {@code --help} or {@code --version} to print and exit.
 * Settings are never arguments; anything else is refused, because Java hands options written
 * after {@code -jar} to the program, where they would otherwise be silently ignored.
 */
public sealed interface CommandLine {

  /** Exit status for arguments the server does not understand (2, as shells and GNU tools use for usage errors). */
  int USAGE_ERROR = 2;

  /** Start the server. */
  record Run() implements CommandLine {}

  /** Print the usage text to stdout. */
  record Help() implements CommandLine {}

  /** Print the version to stdout. */
  record Version() implements CommandLine {}

  /** Refuse: print {@code problem} and the usage text to stderr and exit with {@link #USAGE_ERROR}. */
  record Invalid(String problem) implements CommandLine {}

  static CommandLine parse(List<String> args) {
    if (args.isEmpty()) {
      return new Run();
    }
    if (args.size() == 1 && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
      return new Help();
    }
    if (args.size() == 1 && args.get(0).equals("--version")) {
      return new Version();
    }
    String unknown = args.stream().filter(a -> !isOwnOption(a)).findFirst().orElse(null);
    if (unknown == null) {
      return new Invalid("give --help or --version alone");
    }
    // Only up to '=': the value may be a password (-Demon.db.password=... after -jar).
    String shown = unknown.contains("=") ? unknown.substring(0, unknown.indexOf('=') + 1) + "..." : unknown;
    if (unknown.startsWith("-D") || unknown.startsWith("-X")) {
      String example = unknown.contains("=") ? unknown.substring(0, unknown.indexOf('=') + 1) + "<value>" : unknown;
      return new Invalid("'" + shown + "' is a JVM option: write it before -jar (java " + example
          + " -jar employment-monitor.jar); after -jar it is an argument of the server, which has none");
    }
    return new Invalid("unknown argument '" + shown + "'");
  }

  private static boolean isOwnOption(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("--version");
  }

  /** How to start the server and how settings reach it. */
  static String usage() {
    return """
        Usage: java [JVM options] [-Dkey=value ...] -jar employment-monitor.jar [--help | --version]

        Employment Monitor takes no arguments of its own. Its settings are HOCON keys under
        emon (docs/configuration.md lists every one) and reach it in these ways:

          -Dconfig.file=/etc/emon/emon.conf
              a file whose first line is  include "application"  (give the path with a directory part)
          -Demon.http.port=8081
              one key, as a JVM option BEFORE -jar; written after -jar it is an argument and refused
          -Dconfig.override_with_env_vars=true  with  CONFIG_FORCE_emon_http_port=8081  in the environment
              any key from an environment variable: CONFIG_FORCE_ + the key, "." written "_",
              "-" written "__", "_" written "___" (emon.auth.rate-limit.per-second:
              CONFIG_FORCE_emon_auth_rate__limit_per__second); these win over -D options
          EMON_DB_URL, EMON_DB_USER, EMON_DB_PASSWORD
              the database, always read from the environment

        With none of them it runs the embedded default: H2 under ./data, HTTP on 127.0.0.1:8080.

        Options:
          --help, -h   print this text
          --version    print the version of this jar
        """;
  }

  /** The version from the jar's manifest ({@code Implementation-Version}), or a note when not run from the jar. */
  static String version() {
    String version = CommandLine.class.getPackage().getImplementationVersion();
    return "Employment Monitor " + (version != null ? version : "(version unknown: not run from the packaged jar)");
  }
}
