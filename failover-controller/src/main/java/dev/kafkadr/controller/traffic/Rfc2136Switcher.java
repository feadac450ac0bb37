package dev.kafkadr.controller.traffic;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * RFC 2136 dynamic DNS update signed with a TSIG key (RFC 8945), for on-prem DNS servers such as
 * BIND: replaces the CNAME in one signed update over TCP, checks the signed answer, then reads the
 * record back from the same server before it reports success.
 */
public final class Rfc2136Switcher implements DnsSwitcher {

  private final String host;
  private final int port;
  private final Name zone;
  private final TsigKey key;
  private final Duration timeout;

  /**
   * A switcher for {@code zone} on the primary server {@code host:port}.
   *
   * @param timeout per request
   */
  public Rfc2136Switcher(String host, int port, String zone, TsigKey key, Duration timeout) {
    this.host = host;
    this.port = port;
    this.zone = name(zone);
    this.key = key;
    this.timeout = timeout;
  }

  @Override
  public String pointTo(String name, String target, Duration ttl) {
    return pointTo(name, target, ttl, null);
  }

  /**
   * With a prerequisite: {@code name} is a CNAME of {@code expected} (RRset exists, value
   * dependent), or has no CNAME when {@code expected} is empty (RRset does not exist).
   */
  @Override
  public String pointTo(String name, String target, Duration ttl, Optional<String> expected) {
    Name record = name(name);
    if (!record.subdomain(zone)) {
      throw new DnsSwitchException(
          name + " is not in zone " + zone + ": " + describe() + " can only change that zone");
    }
    Update update = new Update(zone);
    if (expected != null && expected.isPresent()) {
      update.present(new CNAMERecord(record, DClass.IN, 0, name(expected.get())));
    } else if (expected != null) {
      update.absent(record, Type.CNAME);
    }
    update.replace(new CNAMERecord(record, DClass.IN, ttl.toSeconds(), name(target)));
    Message answer = send(update, "update of " + name);
    int rcode = answer.getRcode();
    if (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET) {
      throw new DnsSwitchException(
          "update of "
              + name
              + " on "
              + describe()
              + " not made: it is no longer "
              + expected.map(e -> "a CNAME of " + name(e)).orElse("without a CNAME")
              + " as read before the switch (now "
              + current(name).orElse("no CNAME")
              + "): another switch came first");
    }
    if (rcode != Rcode.NOERROR) {
      throw refused(name, answer);
    }
    if (!answer.isVerified()) {
      throw new DnsSwitchException(
          describe()
              + " accepted the update of "
              + name
              + " but its answer is not signed with key \""
              + key.name()
              + "\": not trusted, the switch is not reported as done");
    }
    Optional<String> now = current(name);
    if (!now.equals(Optional.of(name(target).toString()))) {
      throw new DnsSwitchException(
          describe()
              + " accepted the update, but "
              + name
              + " now reads "
              + now.orElse("(no CNAME)")
              + " instead of "
              + name(target));
    }
    return "RFC 2136 update " + answer.getHeader().getID() + " NOERROR";
  }

  @Override
  public String writeTxt(String name, String value, Duration ttl) {
    Update update = new Update(zone);
    update.replace(new TXTRecord(inZone(name), DClass.IN, ttl.toSeconds(), value));
    return accepted(update, name);
  }

  @Override
  public String deleteTxt(String name, String value, Duration ttl) {
    Update update = new Update(zone);
    update.delete(inZone(name), Type.TXT);
    return accepted(update, name);
  }

  @Override
  public List<String> txt(String name) {
    Message query = Message.newQuery(Record.newRecord(name(name), Type.TXT, DClass.IN));
    return send(query, "query of " + name).getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof TXTRecord)
        .flatMap(r -> ((TXTRecord) r).getStrings().stream())
        .toList();
  }

  private Name inZone(String name) {
    Name record = name(name);
    if (!record.subdomain(zone)) {
      throw new DnsSwitchException(
          name + " is not in zone " + zone + ": " + describe() + " can only change that zone");
    }
    return record;
  }

  /** Sends a signed update; its reference once answered NOERROR and signed, else why not. */
  private String accepted(Update update, String name) {
    Message answer = send(update, "update of " + name);
    if (answer.getRcode() != Rcode.NOERROR) {
      throw refused(name, answer);
    }
    if (!answer.isVerified()) {
      throw new DnsSwitchException(
          describe() + " accepted the update of " + name + " but its answer is not signed");
    }
    return "RFC 2136 update " + answer.getHeader().getID() + " NOERROR";
  }

  @Override
  public Optional<String> current(String name) {
    Message query = Message.newQuery(Record.newRecord(name(name), Type.CNAME, DClass.IN));
    Message answer = send(query, "query of " + name);
    List<Record> records = answer.getSection(Section.ANSWER);
    return records.stream()
        .filter(r -> r instanceof CNAMERecord)
        .map(r -> ((CNAMERecord) r).getTarget().toString())
        .findFirst();
  }

  @Override
  public String describe() {
    return "DNS server "
        + host
        + ":"
        + port
        + " (zone "
        + zone
        + ", TSIG key \""
        + key.name()
        + "\")";
  }

  private Message send(Message message, String what) {
    try {
      SimpleResolver resolver = new SimpleResolver(host);
      resolver.setPort(port);
      resolver.setTCP(true);
      resolver.setTimeout(timeout);
      resolver.setTSIGKey(new TSIG(name(key.algorithm()), name(key.name()), key.secret()));
      return resolver.send(message);
    } catch (IOException e) {
      throw new DnsSwitchException(what + " on " + describe() + " failed: " + e.getMessage(), e);
    }
  }

  /** The refusal as an exception: one of the key itself (BADSIG, BADKEY) may pass later. */
  private DnsSwitchException refused(String name, Message answer) {
    TSIGRecord tsig = answer.getTSIG();
    int tsigError = tsig == null ? Rcode.NOERROR : tsig.getError();
    String message = refusal(name, answer);
    return tsigError == Rcode.BADSIG || tsigError == Rcode.BADKEY
        ? DnsSwitchException.keyRejected(message)
        : new DnsSwitchException(message);
  }

  private String refusal(String name, Message answer) {
    TSIGRecord tsig = answer.getTSIG();
    int tsigError = tsig == null ? Rcode.NOERROR : tsig.getError();
    String why =
        switch (Rcode.TSIGstring(tsigError)) {
          case "BADSIG" ->
              "the TSIG signature does not verify: wrong secret for key \"" + key.name() + "\"";
          case "BADKEY" ->
              "the server does not know TSIG key \"" + key.name() + "\" (or its algorithm)";
          case "BADTIME" -> "the clocks differ too much for TSIG";
          default ->
              answer.getRcode() == Rcode.REFUSED
                  ? "the server refused it: key \"" + key.name() + "\" may not update this name"
                  : "the server answered " + Rcode.string(answer.getRcode());
        };
    return "update of " + name + " on " + describe() + " not made: " + why;
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new DnsSwitchException("\"" + text + "\" is not a DNS name: " + e.getMessage(), e);
    }
  }
}
