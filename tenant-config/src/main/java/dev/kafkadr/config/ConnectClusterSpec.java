package dev.kafkadr.config;

/**
 * A Kafka Connect cluster declared in the tenants file ({@code connectClusters}), beside the
 * default one that {@code kdr config apply --connect URL} and the controller's {@code
 * kdr.connect.<target>} name. A tenant placed on it ({@code connectCluster: <name>}) has its flows
 * run there in every direction, the reverse flows a switchover starts included.
 *
 * @param name the name tenants refer to; {@value ConnectPlacement#DEFAULT_CLUSTER} is reserved for
 *     the undeclared default cluster
 * @param url the REST URL of the cluster, e.g. {@code http://connect-eos.internal:8083}
 * @param exactlyOnceSource the {@code exactly.once.source.support} its workers run with
 */
public record ConnectClusterSpec(String name, String url, ExactlyOnceSource exactlyOnceSource) {}
