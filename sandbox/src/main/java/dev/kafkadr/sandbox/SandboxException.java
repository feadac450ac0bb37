package dev.kafkadr.sandbox;

/** The sandbox could not do what was asked; the message says which process and why. */
public class SandboxException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error with a message that names the role and the cause. */
  public SandboxException(String message) {
    super(message);
  }

  /** An error with a message and the exception behind it. */
  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
