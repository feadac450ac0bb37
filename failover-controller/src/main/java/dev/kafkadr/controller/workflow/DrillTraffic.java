package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.registry.BootstrapRegistry;
import dev.kafkadr.controller.traffic.DnsSwitchException;
import dev.kafkadr.controller.traffic.TrafficSwitch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verify drill's traffic check: the bootstrap registry answers for the tenant with its active
 * cluster, and, for a tenant whose clients follow a DNS name, the DNS provider accepts a signed
 * change now ({@link TrafficSwitch#probe}: a TXT record {@code _kdr-drill.<record>} written, read
 * back, removed), without touching the tenant's bootstrap name.
 */
final class DrillTraffic implements Step {

  @Override
  public String name() {
    return "check-traffic";
  }

  @Override
  public String plan(StepContext c) {
    return "would read the registry's entry and, with DNS, write and remove a TXT record beside the"
        + " tenant's bootstrap name";
  }

  @Override
  public Outcome run(StepContext c) {
    Map<String, Object> result = new LinkedHashMap<>();
    List<String> failures = new java.util.ArrayList<>();
    Optional<BootstrapRegistry.Entry> entry = c.monitor().bootstrap().get(c.tenant().id());
    if (entry.isEmpty() || !entry.get().cluster().equals(c.from().alias())) {
      failures.add(
          "the registry answers "
              + entry.map(BootstrapRegistry.Entry::cluster).orElse("nothing")
              + " for the tenant, not its active cluster "
              + c.from().alias());
    } else {
      result.put("registry", entry.get().cluster() + " (epoch " + entry.get().epoch() + ")");
    }
    try {
      Optional<TrafficSwitch.Probe> probe =
          c.monitor().traffic().probe(c.tenant().id(), c::progress);
      if (probe.isPresent()) {
        result.put("dnsRecord", probe.get().record());
        result.put("dnsProvider", probe.get().provider());
        result.put("dnsWritten", probe.get().written());
        result.put("dnsRemoved", probe.get().removed());
        result.put("dnsMillis", probe.get().took().toMillis());
      } else {
        result.put("dns", "none: the tenant's clients follow the registry alone");
      }
    } catch (DnsSwitchException e) {
      failures.add("DNS: " + e.getMessage());
    }
    result.put("passed", failures.isEmpty());
    result.put("failures", failures);
    return new Outcome(
        failures.isEmpty()
            ? "the registry answers "
                + result.get("registry")
                + (result.containsKey("dnsRecord")
                    ? "; "
                        + result.get("dnsProvider")
                        + " took a signed change of "
                        + result.get("dnsRecord")
                        + " and its removal in "
                        + result.get("dnsMillis")
                        + " ms"
                    : "; no DNS record")
            : String.join("; ", failures),
        Map.of("drillTraffic", result));
  }
}
