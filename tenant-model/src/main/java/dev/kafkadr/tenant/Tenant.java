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
 * @param namespace the literal prefix every name the tenant's patterns select must start with (the
 *     tenant id unless the file says otherwise; see {@link Namespaces})
 * @param platform whether the tenant is platform-wide: its patterns may select any name
 */
public record Tenant(
    String id,
    Patterns topics,
    Patterns groups,
    NamingMode naming,
    Duration rpo,
    Duration rto,
    String namespace,
    boolean platform) {}
