package dev.kafkadr.controller.workflow;

/** A workflow was not started: another holds the tenant. The API answers 409 with the message. */
public final class WorkflowRefused extends WorkflowException {

  private static final long serialVersionUID = 1L;

  /** A refusal described by {@code message}. */
  public WorkflowRefused(String message) {
    super(message);
  }
}
