package dev.kafkadr.tenant;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import java.util.List;
import java.util.Optional;

/**
 * Tenant namespaces: in a service shared by many teams, a tenant's patterns may select only names
 * of its own namespace, so that no team claims the topics and groups of a team that arrives later.
 * A namespace is a literal; a name lies in namespace {@code N} when it is {@code N} or begins with
 * {@code N} followed by '.', '-' or '_' ({@code payments.orders}, {@code payments-app}, never
 * {@code paymentsx}). A tenant's namespace is its id unless the file names another; a tenant marked
 * {@code platform: true} may select any name. Decided exactly on the patterns' languages ({@link
 * PatternOverlap}).
 */
public final class Namespaces {

  /** What a namespace may be: a literal prefix of topic and group names. */
  public static final String NAMESPACE = "[a-zA-Z0-9._-]{1,200}";

  private Namespaces() {}

  /** The names in namespace {@code namespace}. */
  public static Automaton names(String namespace) {
    Automaton separator = BasicAutomata.makeCharSet(".-_");
    return BasicAutomata.makeString(namespace)
        .union(
            BasicAutomata.makeString(namespace)
                .concatenate(separator)
                .concatenate(BasicAutomata.makeAnyString()));
  }

  /** A name {@code pattern} selects in {@code universe} outside {@code namespace}, if any. */
  public static Optional<String> outside(String pattern, String namespace, Automaton universe) {
    Automaton out = PatternOverlap.of(pattern, universe).minus(names(namespace));
    return out.isEmpty() ? Optional.empty() : Optional.ofNullable(out.getShortestExample(true));
  }

  /** Problems with the tenants' namespaces: patterns outside them, namespaces inside others. */
  static void check(List<Tenant> tenants, String path, List<Problem> problems) {
    for (int i = 0; i < tenants.size(); i++) {
      Tenant t = tenants.get(i);
      if (t.platform()) {
        continue;
      }
      patterns(
          t,
          t.topics().include(),
          path + "[" + i + "].topics.include",
          PatternOverlap.TOPIC_NAMES,
          problems);
      patterns(
          t,
          t.groups().include(),
          path + "[" + i + "].groups.include",
          PatternOverlap.GROUP_IDS,
          problems);
      for (int j = 0; j < i; j++) {
        Tenant o = tenants.get(j);
        if (!o.platform()
            && (names(o.namespace()).run(t.namespace())
                || names(t.namespace()).run(o.namespace()))) {
          problems.add(
              new Problem(
                  path + "[" + i + "].namespace",
                  "namespace \""
                      + t.namespace()
                      + "\" and tenant \""
                      + o.id()
                      + "\"'s namespace \""
                      + o.namespace()
                      + "\" lie inside one another: each tenant needs a namespace of its own"));
        }
      }
    }
  }

  private static void patterns(
      Tenant t, List<String> include, String at, Automaton universe, List<Problem> problems) {
    for (int k = 0; k < include.size(); k++) {
      String pattern = include.get(k);
      Optional<String> name = outside(pattern, t.namespace(), universe);
      if (name.isPresent()) {
        problems.add(
            new Problem(
                at + "[" + k + "]",
                "pattern \""
                    + pattern
                    + "\" selects names outside the tenant's namespace \""
                    + t.namespace()
                    + "\" (\""
                    + name.get()
                    + "\", for one): a tenant's patterns select only its namespace or names"
                    + " beginning with it and '.', '-' or '_'; a tenant meant to span the service"
                    + " says platform: true"));
      }
    }
  }
}
