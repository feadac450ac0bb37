package dev.kafkadr.config.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.config.apply.ConfigApplier;
import dev.kafkadr.config.apply.ConfigPlan;
import dev.kafkadr.config.connect.ConnectRestClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr config validate|render|plan|apply}: the tenants file, checked, rendered and applied.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Validate a tenants file, render its connectors, plan and apply them on Kafka Connect.",
    subcommands = {
      ConfigCommand.Validate.class,
      ConfigCommand.Render.class,
      ConfigCommand.Plan.class,
      ConfigCommand.Apply.class
    })
final class ConfigCommand {

  /** Options every config command takes. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The tenants file (YAML).")
    Path file;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    TenantsFile tenants() {
      return TenantsFileParser.parse(file);
    }
  }

  /** Options of the commands that talk to Connect. */
  abstract static class Remote extends Base {
    @Option(
        names = "--connect",
        required = true,
        description = "REST URL of the Connect cluster, e.g. http://connect:8083.")
    String connectUrl;

    ConfigPlan plan(ConfigApplier applier) {
      return ConfigPlan.of(ConnectConfigs.render(tenants()), applier.current());
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Check the file; print every problem.")
  static final class Validate extends Base {
    @Override
    public Integer call() {
      TenantsFile t = tenants();
      out()
          .printf(
              "%s is valid: %d clusters, %d flows, %d tenants%n",
              file, t.clusters().size(), t.flows().size(), t.tenants().size());
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "render",
      mixinStandardHelpOptions = true,
      description = "Print the Connect connector configs as JSON.")
  static final class Render extends Base {
    @Override
    public Integer call() throws Exception {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      out().println(json.writeValueAsString(new TreeMap<>(ConnectConfigs.render(tenants()))));
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = "Show what apply would change on Connect.")
  static final class Plan extends Remote {
    @Override
    public Integer call() {
      ConfigPlan plan = plan(new ConfigApplier(new ConnectRestClient(connectUrl), out()));
      out().print(plan.describe());
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = "Make exactly the planned changes, then wait for RUNNING.")
  static final class Apply extends Remote {
    @Option(
        names = "--timeout",
        defaultValue = "120",
        description = "Seconds to wait for connectors to run. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Override
    public Integer call() {
      ConfigApplier applier = new ConfigApplier(new ConnectRestClient(connectUrl), out());
      ConfigPlan plan = plan(applier);
      out().print(plan.describe());
      if (plan.isEmpty()) {
        out().println("nothing to do.");
        out().flush();
        return 0;
      }
      List<String> failures = applier.apply(plan, Duration.ofSeconds(timeoutSeconds));
      failures.forEach(f -> spec.commandLine().getErr().println("kdr: not running: " + f));
      out()
          .println(
              failures.isEmpty()
                  ? "applied; every changed connector is RUNNING."
                  : failures.size() + " connector(s) not running.");
      out().flush();
      return failures.isEmpty() ? 0 : 1;
    }
  }
}
