package dev.kafkadr.controller.traffic;

/**
 * A DNS switch that did not happen, or cannot be shown to have happened: the message says which
 * record, on which server, and what the server answered. Never carries a secret.
 */
public final class DnsSwitchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failed switch, described. */
  public DnsSwitchException(String message) {
    super(message);
  }

  /** A failed switch, with the exception behind it. */
  public DnsSwitchException(String message, Throwable cause) {
    super(message, cause);
  }
}
