package dev.kafkadr.controller.workflow;

/** A workflow cannot go on: the message says why, for the operator. */
public class WorkflowException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public WorkflowException(String message) {
    super(message);
  }
}
