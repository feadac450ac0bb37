package dev.kafkadr.config;

import java.util.Map;

/**
 * A Kafka cluster declared once in the tenants file and referred to by alias.
 *
 * @param alias MM2 cluster alias, e.g. {@code eu-west-1}
 * @param bootstrap bootstrap servers
 * @param security client security settings ({@code protocol}, {@code mechanism}, credentials as
 *     ConfigProvider references); empty for PLAINTEXT
 * @param region the failure domain it runs in ({@code region:} in the file, its alias by default):
 *     a controller replica in the same region is no independent witness of its loss
 * @param msk what the cluster is made of when it is an Amazon MSK cluster ({@code msk:} in the
 *     file), or null
 */
public record ClusterSpec(
    String alias, String bootstrap, Map<String, String> security, String region, MskCapacity msk) {

  /** A cluster that is not declared as MSK. */
  public ClusterSpec(String alias, String bootstrap, Map<String, String> security, String region) {
    this(alias, bootstrap, security, region, null);
  }

  /** A cluster whose region is named by its alias. */
  public ClusterSpec(String alias, String bootstrap, Map<String, String> security) {
    this(alias, bootstrap, security, alias);
  }
}
