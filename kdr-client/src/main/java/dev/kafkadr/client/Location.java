package dev.kafkadr.client;

/**
 * Where a tenant's clients go, as the failover controller's bootstrap registry says.
 *
 * @param tenant tenant id
 * @param cluster cluster alias
 * @param bootstrapServers the cluster's bootstrap servers
 * @param clusterId the cluster's Kafka cluster id, empty when the controller could not read it
 * @param epoch grows by one with every switch
 * @param cached true when the controller did not answer and this is the last answer kept on disk
 */
public record Location(
    String tenant,
    String cluster,
    String bootstrapServers,
    String clusterId,
    long epoch,
    boolean cached) {}
