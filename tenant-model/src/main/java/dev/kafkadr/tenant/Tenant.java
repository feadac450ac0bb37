package dev.kafkadr.tenant;

import java.time.Duration;

/**
 * A tenant of the shared Kafka service: the topics and consumer groups that belong to it, how its
 * topics are named on the target, and the recovery objectives it was promised.
 *
 * @param id lower-case letters, digits and '-', e.g. {@code payments-prod}
 * @param topics the tenant's topics
 * @param groups the tenant's consumer groups
 * @param naming prefixed (MM2's default) or identical names on the target
 * @param rpo the most data, as time, the tenant may lose in a failover
 * @param rto the longest the tenant may be without a writable cluster in a failover
 */
public record Tenant(
    String id, Patterns topics, Patterns groups, NamingMode naming, Duration rpo, Duration rto) {}
