package dev.kafkadr.config;

import java.util.Map;

/**
 * A Kafka cluster declared once in the tenants file and referred to by alias.
 *
 * @param alias MM2 cluster alias, e.g. {@code eu-west-1}
 * @param bootstrap bootstrap servers
 * @param security client security settings ({@code protocol}, {@code mechanism}, credentials as
 *     ConfigProvider references); empty for PLAINTEXT
 */
public record ClusterSpec(String alias, String bootstrap, Map<String, String> security) {}
