package dev.kafkadr.tenant;

import java.util.List;
import java.util.stream.Collectors;

/** A tenant configuration was invalid; carries every problem found, each with its path. */
public class TenantConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  /** An exception listing {@code problems} (at least one). */
  public TenantConfigException(List<Problem> problems) {
    super(
        problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + " in the tenant configuration:\n"
            + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in the order found. */
  public List<Problem> problems() {
    return problems;
  }
}
