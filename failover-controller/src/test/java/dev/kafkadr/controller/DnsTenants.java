package dev.kafkadr.controller;

import dev.kafkadr.controller.traffic.TsigKey;
import dev.kafkadr.sandbox.StackDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link SecuredTenants} with the sandbox's DNS server (BIND): tenant {@code shop}'s clients find
 * their cluster through the CNAME {@code shop.<zone>} too, which a workflow's {@code
 * switch-traffic} changes by RFC 2136 (TSIG-signed, the secret behind a {@code ${file:...}}
 * reference in a mode-600 file), and the controller tries an unreachable DNS server again for
 * {@link #DNS_TIMEOUT}.
 */
public class DnsTenants extends SecuredTenants {

  /** {@code kdr.workflow.dns-timeout} of the controller under test. */
  static final String DNS_TIMEOUT = "12s";

  private static Path secret;

  @Override
  protected boolean withDns() {
    return true;
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    config.put("kdr.workflow.dns-timeout", DNS_TIMEOUT);
    return config;
  }

  @Override
  public void stop() {
    try {
      if (secret != null) {
        Files.deleteIfExists(secret);
      }
    } catch (java.io.IOException e) {
      System.out.println("the TSIG secret's file " + secret + " stays: " + e.getMessage());
    } finally {
      super.stop();
    }
  }

  /**
   * The {@code traffic.dns} section of a tenants file declaring the sandbox's BIND as DNS provider
   * {@code sandbox} (RFC 2136, TSIG {@code key}, its secret read from {@code secret}'s {@code
   * tsig.secret} through Kafka's file ConfigProvider); lines ending with a newline.
   */
  public static String dnsProvider(StackDescription.Dns dns, TsigKey key, Path secret) {
    return String.join(
        "\n",
        "  dns:",
        "    sandbox:",
        "      type: rfc2136",
        "      server: " + dns.host() + ":" + dns.port(),
        "      zone: " + dns.zone(),
        "      tsig: {name: " + key.name() + ", algorithm: " + key.algorithm() + ",",
        "             secret: \"${file:" + secret + ":tsig.secret}\"}",
        "");
  }

  /** The sandbox's DNS server. */
  static StackDescription.Dns dns() {
    return sandbox.dns().orElseThrow();
  }

  /** The CNAME shop's clients resolve (absolute: the sandbox's zone ends with a dot). */
  static String record() {
    return "shop." + dns().zone();
  }

  /** The name {@code cluster}'s bootstrap has in DNS: what the record points at while there. */
  static String target(String cluster) {
    return "kafka." + cluster + "." + dns().zone();
  }

  @Override
  protected String flowsAndTenants() {
    StackDescription.Dns dns = dns();
    TsigKey key = TsigKey.fromBindKeyFile(Path.of(dns.tsigKeyFile()));
    try {
      secret =
          Files.createTempFile(
              "kdr-tsig",
              ".properties",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(secret, "tsig.secret=" + key.secret() + "\n");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the TSIG secret's file: " + e.getMessage(), e);
    }
    return super.flowsAndTenants()
        .replace(
            "  - id: shop\n",
            "  - id: shop\n    traffic: {dns: sandbox, record: " + record() + ", ttl: 5s}\n")
        .replace(
            "traffic:\n  clusters:\n",
            "traffic:\n" + dnsProvider(dns, key, secret) + "  clusters:\n")
        .replace(
            "    primary: {clientBootstrap:",
            "    primary: {dnsTarget: " + target("primary") + ", clientBootstrap:")
        .replace(
            "    secondary: {clientBootstrap:",
            "    secondary: {dnsTarget: " + target("secondary") + ", clientBootstrap:");
  }
}
