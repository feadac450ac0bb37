package dev.kafkadr.config.cli;

import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.ConnectPlacement;
import dev.kafkadr.config.TenantAcls;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.config.apply.AclPlan;
import dev.kafkadr.config.apply.ClusterApplier;
import dev.kafkadr.config.apply.ConfigApplier;
import dev.kafkadr.config.apply.ConfigPlan;
import dev.kafkadr.config.apply.QuotaPlan;
import dev.kafkadr.config.connect.ConnectEndpoints;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestCredentials;
import dev.kafkadr.config.render.RenderFormat;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr config validate|render|plan|apply|restart}: the tenants file, checked, rendered and
 * applied; its connectors restarted to read rotated secrets.
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
      ConfigCommand.Apply.class,
      ConfigRestart.class
    })
final class ConfigCommand {

  /** {@code NAME=URL}: a declared Connect cluster's URL given on the command line. */
  private static final java.util.regex.Pattern NAMED =
      java.util.regex.Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]{0,63})=(.+)");

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
        description = {
          "REST URL of the default Connect cluster, e.g. http://connect:8083; repeat as",
          "NAME=URL to reach a cluster declared under connectClusters at another URL."
        })
    List<String> connect;

    @Option(
        names = "--connect-user",
        defaultValue = "${env:KDR_CONNECT_USER}",
        description = {
          "The REST user of Connect REST APIs locked with basic authentication (default: the",
          "environment's KDR_CONNECT_USER); its password is read from --connect-password-file",
          "or KDR_CONNECT_PASSWORD, never from the command line."
        })
    String connectUser;

    @Option(
        names = "--connect-password-file",
        description = "A file holding the REST user's password (its first line).")
    Path connectPasswordFile;

    @Option(
        names = "--connect-truststore",
        defaultValue = "${env:KDR_CONNECT_TRUSTSTORE}",
        description = {
          "CA certificates (PEM) an https:// Connect REST API's certificate is checked against",
          "(default: the environment's KDR_CONNECT_TRUSTSTORE, else the JVM's trust store)."
        })
    Path connectTruststore;

    /** The credentials for Connect's REST APIs, if given. */
    java.util.Optional<ConnectRestCredentials> connectCredentials() {
      String password = System.getenv("KDR_CONNECT_PASSWORD");
      if (connectPasswordFile != null) {
        try {
          password = Files.readAllLines(connectPasswordFile).stream().findFirst().orElse("");
        } catch (java.io.IOException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--connect-password-file " + connectPasswordFile + " cannot be read: " + e);
        }
      }
      try {
        return ConnectRestCredentials.of(
            java.util.Optional.ofNullable(connectUser),
            java.util.Optional.ofNullable(password),
            "--connect-user (KDR_CONNECT_USER)",
            "--connect-password-file (KDR_CONNECT_PASSWORD)");
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    /** A REST client per Connect cluster: the default one and every declared one. */
    Map<String, ConnectRestClient> connectClusters(TenantsFile tenants) {
      Map<String, String> urls = new LinkedHashMap<>();
      tenants.connect().clusters().forEach((name, c) -> urls.put(name, c.url()));
      String defaultUrl = null;
      for (String arg : connect) {
        java.util.regex.Matcher named = NAMED.matcher(arg);
        if (named.matches()) {
          if (!tenants.connect().clusters().containsKey(named.group(1))) {
            throw new CommandLine.ParameterException(
                spec.commandLine(),
                "--connect "
                    + named.group(1)
                    + "=...: no Connect cluster \""
                    + named.group(1)
                    + "\" under connectClusters in "
                    + file);
          }
          urls.put(named.group(1), named.group(2));
        } else if (defaultUrl == null) {
          defaultUrl = arg;
        } else {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--connect: two URLs for the default Connect cluster; name the others NAME=URL");
        }
      }
      if (defaultUrl == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--connect: the default Connect cluster's URL is missing");
      }
      ConnectEndpoints endpoints =
          new ConnectEndpoints(
              Map.of(), connectCredentials(), java.util.Optional.ofNullable(connectTruststore));
      java.util.stream.Stream.concat(java.util.stream.Stream.of(defaultUrl), urls.values().stream())
          .distinct()
          .flatMap(u -> endpoints.plainHttpWarning(u).stream())
          .forEach(w -> spec.commandLine().getErr().println("kdr: warning: " + w));
      Map<String, ConnectRestClient> out = new LinkedHashMap<>();
      out.put(ConnectPlacement.DEFAULT_CLUSTER, endpoints.client(defaultUrl));
      urls.forEach((name, url) -> out.put(name, endpoints.client(url)));
      return out;
    }

    ConfigPlan plan(TenantsFile tenants, ConfigApplier applier) {
      return ConfigPlan.across(ConnectConfigs.renderByCluster(tenants), applier.currentByCluster());
    }

    QuotaPlan quotaPlan(TenantsFile tenants) {
      return QuotaPlan.of(QuotaPlan.desired(tenants), new ClusterApplier(tenants).current());
    }

    AclPlan aclPlan(TenantsFile tenants) {
      Set<String> principals = new TreeSet<>();
      tenants.access().values().forEach(l -> l.forEach(a -> principals.add(a.principal())));
      return AclPlan.of(
          TenantAcls.desired(tenants), new ClusterApplier(tenants).currentAcls(principals));
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
      description = {
        "Render the replication for where Connect runs: connect (Connect REST connector configs),",
        "mm2 (MirrorMaker 2 dedicated mode), strimzi (KafkaMirrorMaker2), msk-connect."
      })
  static final class Render extends Base {
    @Option(
        names = "--format",
        defaultValue = "connect",
        description = "connect, mm2, strimzi or msk-connect. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(
        names = {"-o", "--output"},
        description = "Write the files into this directory instead of printing them.")
    Path output;

    @Override
    public Integer call() throws Exception {
      RenderFormat renderFormat;
      try {
        renderFormat = RenderFormat.of(format);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      Map<String, String> files = renderFormat.render(tenants());
      if (output == null) {
        boolean many = files.size() > 1;
        files.forEach(
            (name, text) -> {
              if (many) {
                out().println("# ---- " + name);
              }
              out().print(text);
            });
      } else {
        Files.createDirectories(output);
        for (Map.Entry<String, String> f : files.entrySet()) {
          Files.writeString(output.resolve(f.getKey()), f.getValue());
          out().println("wrote " + output.resolve(f.getKey()));
        }
      }
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = "Show what apply would change on Connect and on the clusters' quotas.")
  static final class Plan extends Remote {
    @Override
    public Integer call() {
      TenantsFile tenants = tenants();
      ConfigPlan plan = plan(tenants, new ConfigApplier(connectClusters(tenants), out()));
      out().print(plan.describe());
      out().print(quotaPlan(tenants).describe());
      out().print(aclPlan(tenants).describe());
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
      TenantsFile tenants = tenants();
      ConfigApplier applier = new ConfigApplier(connectClusters(tenants), out());
      ConfigPlan plan = plan(tenants, applier);
      QuotaPlan quotas = quotaPlan(tenants);
      AclPlan acls = aclPlan(tenants);
      out().print(plan.describe());
      out().print(quotas.describe());
      out().print(acls.describe());
      if (plan.isEmpty() && quotas.isEmpty() && acls.isEmpty()) {
        out().println("nothing to do.");
        out().flush();
        return 0;
      }
      // Quotas first: a tenant's backlog starts out throttled, never at full speed.
      new ClusterApplier(tenants).apply(quotas);
      quotas.changes().forEach(c -> out().println("done: " + c.describe().substring(2)));
      // ACLs before connectors too: the copies are readable by the tenant from the start.
      new ClusterApplier(tenants).apply(acls);
      acls.missing()
          .forEach(
              e ->
                  out()
                      .println(
                          "created acl on "
                              + e.cluster()
                              + ": "
                              + TenantAcls.describe(e.binding())));
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
