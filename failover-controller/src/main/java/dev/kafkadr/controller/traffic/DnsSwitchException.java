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

  /**
   * Whether the same request may succeed later: the provider could not be reached or did not answer
   * in time (an I/O failure behind it, or the AWS SDK's client-side failure), or Route 53 answered
   * that it is busy (throttling, or a 5xx). A refusal (a wrong key, a name outside the zone,
   * another switch came first, an answer not signed) is met again by the same request.
   */
  public boolean transientFailure() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException
          || t instanceof software.amazon.awssdk.core.exception.SdkClientException) {
        return true;
      }
      if (t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a) {
        return a.isThrottlingException() || a.statusCode() >= 500;
      }
    }
    return false;
  }
}
