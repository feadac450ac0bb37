package dev.kafkadr.controller.store;

/** The controller's state store did not answer, or refused a request; the message says which. */
public class StoreException extends RuntimeException {

  /** With what failed and its cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
