package dev.kafkadr.config.connect;

/** The Connect REST API answered with an error, or could not be reached. */
public class ConnectRestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /** An error response: HTTP status and Connect's own message. */
  public ConnectRestException(String message, int status) {
    super(message);
    this.status = status;
  }

  /** The worker could not be reached. */
  public ConnectRestException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
  }

  /** The HTTP status, or -1 when the worker could not be reached. */
  public int status() {
    return status;
  }
}
