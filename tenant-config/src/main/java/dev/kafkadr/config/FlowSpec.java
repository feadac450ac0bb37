package dev.kafkadr.config;

import java.util.List;

/**
 * A replication flow {@code source -> target} carrying some tenants.
 *
 * @param source source cluster alias
 * @param target target cluster alias
 * @param tenants ids of the tenants replicated by this flow
 */
public record FlowSpec(String source, String target, List<String> tenants) {}
