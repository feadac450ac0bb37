package dev.kafkadr.connect;

import java.util.Set;
import org.apache.kafka.connect.mirror.DefaultConfigPropertyFilter;

/**
 * MirrorMaker 2's default config filter, except that the durability settings {@code
 * min.insync.replicas} and {@code unclean.leader.election.enable} are replicated, so the DR copy of
 * a topic is as durable as its source. Everything else the default excludes (replication throttles,
 * timestamp settings, and whatever {@code config.properties.exclude} lists) stays excluded.
 *
 * <p>Where the source leaves a durability setting at its default, the target's own value is kept
 * ({@link #shouldReplicateSourceDefault} is false for them), so a target configured stricter than
 * the source's defaults is not weakened. A source topic that sets a weaker value explicitly is
 * copied as it is: the filter sees property names, never values.
 */
public class DurabilityConfigPropertyFilter extends DefaultConfigPropertyFilter {

  /** The topic properties this filter always replicates. */
  public static final Set<String> DURABILITY =
      Set.of("min.insync.replicas", "unclean.leader.election.enable");

  @Override
  public boolean shouldReplicateConfigProperty(String prop) {
    return DURABILITY.contains(prop) || super.shouldReplicateConfigProperty(prop);
  }

  @Override
  public boolean shouldReplicateSourceDefault(String prop) {
    return !DURABILITY.contains(prop) && super.shouldReplicateSourceDefault(prop);
  }
}
