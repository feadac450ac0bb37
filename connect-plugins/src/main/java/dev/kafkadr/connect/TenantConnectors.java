package dev.kafkadr.connect;

import dev.kafkadr.tenant.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;

/** What the tenant connectors add to MirrorMaker 2's: their keys, validation and defaults. */
final class TenantConnectors {

  /** Plugin classes a tenant connector uses unless its configuration names others. */
  static final Map<String, String> DEFAULTS =
      Map.of(
          "replication.policy.class", TenantReplicationPolicy.class.getName(),
          "topic.filter.class", TenantTopicFilter.class.getName(),
          "group.filter.class", TenantGroupFilter.class.getName());

  private TenantConnectors() {}

  /** MM2's definition plus the tenant keys. */
  static ConfigDef withTenantKeys(ConfigDef mirrorMaker) {
    ConfigDef def = new ConfigDef(mirrorMaker);
    TenantConfig.DEF.configKeys().values().forEach(def::define);
    return def;
  }

  /** {@code props} with the tenant plugin classes filled in where not set. */
  static Map<String, String> withDefaults(Map<String, String> props) {
    Map<String, String> out = new HashMap<>(DEFAULTS);
    out.putAll(props);
    return out;
  }

  /** Adds each tenant problem as an error on the {@link ConfigValue} of the key it names. */
  static Config addTenantProblems(Config config, Map<String, String> props) {
    List<Problem> problems = new java.util.ArrayList<>(TenantConfig.problems(props));
    problems.addAll(ClientKeys.problems(props));
    Map<String, ConfigValue> byName = new HashMap<>();
    config.configValues().forEach(v -> byName.put(v.name(), v));
    for (Problem problem : problems) {
      String key = problem.path().replaceAll("\\[\\d+]$", "");
      ConfigValue value =
          byName.computeIfAbsent(
              key,
              k -> {
                ConfigValue created = new ConfigValue(k);
                config.configValues().add(created);
                return created;
              });
      if (!value.errorMessages().contains(problem.toString())) {
        value.addErrorMessage(problem.toString());
      }
    }
    return config;
  }
}
