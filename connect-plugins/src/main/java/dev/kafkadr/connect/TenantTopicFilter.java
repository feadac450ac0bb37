package dev.kafkadr.connect;

import dev.kafkadr.tenant.Patterns;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.connect.mirror.TopicFilter;

/**
 * Replicates exactly the topics of one tenant: those its patterns select, minus any that another
 * tenant's patterns select, minus internal topics (as MirrorMaker 2's default filter excludes
 * them). Configured with the {@code kdr.tenant.*} keys of {@link TenantConfig}.
 */
public class TenantTopicFilter implements TopicFilter {

  /** Internal topics, as MirrorMaker 2's default topic filter excludes them. */
  static final Pattern INTERNAL = Pattern.compile(".*[\\-.]internal|.*\\.replica|__.*");

  private Patterns.Compiled mine;
  private Patterns.Compiled others;

  @Override
  public void configure(Map<String, ?> props) {
    TenantConfig config = TenantConfig.require(props, getClass().getSimpleName());
    mine = config.topics().compile();
    others = config.otherTenantsTopics().compile();
  }

  @Override
  public boolean shouldReplicateTopic(String topic) {
    return mine.matches(topic) && !others.matches(topic) && !INTERNAL.matcher(topic).matches();
  }

  @Override
  public void close() {}
}
