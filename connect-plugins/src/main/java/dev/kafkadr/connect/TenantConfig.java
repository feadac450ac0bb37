package dev.kafkadr.connect;

import dev.kafkadr.tenant.NamingMode;
import dev.kafkadr.tenant.PatternChecks;
import dev.kafkadr.tenant.Patterns;
import dev.kafkadr.tenant.Problem;
import dev.kafkadr.tenant.TenantParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The tenant keys of a MirrorMaker 2 connector, read by the tenant connectors, filters and
 * replication policy. Declared once here with their documentation and defaults.
 */
public final class TenantConfig extends AbstractConfig {

  /** Key of the tenant id. */
  public static final String TENANT_ID = "kdr.tenant.id";

  /** Key of the tenant's topic include patterns. */
  public static final String TOPICS_INCLUDE = "kdr.tenant.topics.include";

  /** Key of the tenant's topic exclude patterns. */
  public static final String TOPICS_EXCLUDE = "kdr.tenant.topics.exclude";

  /** Key of the tenant's consumer group include patterns. */
  public static final String GROUPS_INCLUDE = "kdr.tenant.groups.include";

  /** Key of the tenant's consumer group exclude patterns. */
  public static final String GROUPS_EXCLUDE = "kdr.tenant.groups.exclude";

  /** Key of the other tenants' topic patterns, never replicated by this tenant's connectors. */
  public static final String OTHERS_TOPICS = "kdr.tenant.others.topics";

  /** Key of the other tenants' group patterns, never replicated by this tenant's connectors. */
  public static final String OTHERS_GROUPS = "kdr.tenant.others.groups";

  /** Key of the naming mode. */
  public static final String NAMING = "kdr.tenant.naming";

  private static final String GROUP = "kafka-dr tenant";

  /** The definition of every tenant key. */
  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              TENANT_ID,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Id of the tenant this connector replicates (lower-case letters, digits and '-').",
              GROUP,
              1,
              ConfigDef.Width.SHORT,
              "Tenant id")
          .define(
              TOPICS_INCLUDE,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Comma-separated Java regular expressions, each matched against a whole topic name:"
                  + " the tenant's topics.",
              GROUP,
              2,
              ConfigDef.Width.LONG,
              "Tenant topics")
          .define(
              TOPICS_EXCLUDE,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Patterns of topics that match the include patterns but are not replicated.",
              GROUP,
              3,
              ConfigDef.Width.LONG,
              "Excluded topics")
          .define(
              GROUPS_INCLUDE,
              Type.LIST,
              "",
              Importance.HIGH,
              "Patterns of the tenant's consumer groups, whose offsets are checkpointed.",
              GROUP,
              4,
              ConfigDef.Width.LONG,
              "Tenant groups")
          .define(
              GROUPS_EXCLUDE,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Patterns of groups that match the include patterns but are not checkpointed.",
              GROUP,
              5,
              ConfigDef.Width.LONG,
              "Excluded groups")
          .define(
              OTHERS_TOPICS,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Topic patterns of every other tenant on the cluster. A topic matching one of them is"
                  + " never replicated by this tenant's connectors, even if this tenant's patterns"
                  + " also match it (defence in depth behind the validation that forbids overlap).",
              GROUP,
              6,
              ConfigDef.Width.LONG,
              "Other tenants' topics")
          .define(
              OTHERS_GROUPS,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Group patterns of every other tenant; such groups are never checkpointed here.",
              GROUP,
              7,
              ConfigDef.Width.LONG,
              "Other tenants' groups")
          .define(
              NAMING,
              Type.STRING,
              NamingMode.PREFIXED.configName(),
              ConfigDef.CaseInsensitiveValidString.in("prefixed", "identical"),
              Importance.HIGH,
              "prefixed: remote topics are named <source alias>.<topic> (MirrorMaker 2's default);"
                  + " identical: remote topics keep the source name (needs the provenance headers"
                  + " and origin filter for two-way replication).",
              GROUP,
              8,
              ConfigDef.Width.SHORT,
              "Naming mode");

  /** Parses the tenant keys out of a connector's configuration. */
  public TenantConfig(Map<?, ?> props) {
    super(DEF, props, false);
  }

  /** The tenant id. */
  public String tenantId() {
    return getString(TENANT_ID);
  }

  /** The tenant's topics. */
  public Patterns topics() {
    return new Patterns(getList(TOPICS_INCLUDE), getList(TOPICS_EXCLUDE));
  }

  /** The tenant's consumer groups. */
  public Patterns groups() {
    return new Patterns(getList(GROUPS_INCLUDE), getList(GROUPS_EXCLUDE));
  }

  /** Topics of other tenants. */
  public Patterns otherTenantsTopics() {
    return new Patterns(getList(OTHERS_TOPICS), List.of());
  }

  /** Groups of other tenants. */
  public Patterns otherTenantsGroups() {
    return new Patterns(getList(OTHERS_GROUPS), List.of());
  }

  /** The naming mode. */
  public NamingMode naming() {
    return NamingMode.parse(getString(NAMING)).orElseThrow();
  }

  /**
   * Every problem with the tenant keys in {@code props}, each named by its key: missing or mistyped
   * values, and patterns that do not compile or cannot be checked for overlap.
   */
  public static List<Problem> problems(Map<String, String> props) {
    List<Problem> problems = new ArrayList<>();
    TenantConfig config;
    try {
      config = new TenantConfig(props);
    } catch (ConfigException e) {
      String key = e.getMessage().contains(TOPICS_INCLUDE) ? TOPICS_INCLUDE : keyIn(e.getMessage());
      problems.add(new Problem(key, e.getMessage()));
      return problems;
    }
    if (!config.tenantId().matches(TenantParser.ID_PATTERN)) {
      problems.add(
          new Problem(
              TENANT_ID, "\"" + config.tenantId() + "\" must match " + TenantParser.ID_PATTERN));
    }
    if (config.getList(TOPICS_INCLUDE).isEmpty()) {
      problems.add(new Problem(TOPICS_INCLUDE, "needs at least one pattern"));
    }
    for (String key :
        List.of(
            TOPICS_INCLUDE,
            TOPICS_EXCLUDE,
            GROUPS_INCLUDE,
            GROUPS_EXCLUDE,
            OTHERS_TOPICS,
            OTHERS_GROUPS)) {
      PatternChecks.check(config.getList(key), key, problems);
    }
    return problems;
  }

  private static String keyIn(String message) {
    for (String key : DEF.names()) {
      if (message.contains("\"" + key + "\"") || message.contains(key)) {
        return key;
      }
    }
    return TENANT_ID;
  }

  /** Throws naming every problem, for plugins that are configured outside a validating path. */
  static TenantConfig require(Map<String, ?> props, String plugin) {
    Map<String, String> strings = new java.util.HashMap<>();
    props.forEach((k, v) -> strings.put(k, v == null ? null : String.valueOf(v)));
    List<Problem> problems = problems(strings);
    if (!problems.isEmpty()) {
      throw new ConfigException(plugin + " is misconfigured: " + problems);
    }
    return new TenantConfig(props);
  }
}
