package dev.kafkadr.controller.traffic;

/**
 * A DNS switch that did not happen, or cannot be shown to have happened: the message says which
 * record, on which server, and what the server answered. Never carries a secret.
 */
public final class DnsSwitchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean keyRejected;

  /** A failed switch, described. */
  public DnsSwitchException(String message) {
    super(message);
    this.keyRejected = false;
  }

  private DnsSwitchException(String message, boolean keyRejected) {
    super(message);
    this.keyRejected = keyRejected;
  }

  /**
   * The server refused the TSIG key (a signature that does not verify, a key it does not know): met
   * again until the key behind the tenants file's references and the server's agree, which they do
   * again once a rotation in progress is finished (the key is read at each attempt).
   */
  public static DnsSwitchException keyRejected(String message) {
    return new DnsSwitchException(message, true);
  }

  /** A failed switch, with the exception behind it. */
  public DnsSwitchException(String message, Throwable cause) {
    super(message, cause);
    this.keyRejected = false;
  }

  /** Whether the server refused the TSIG key (BADSIG, BADKEY). */
  public boolean keyRejected() {
    return keyRejected;
  }

  /**
   * Whether the same request may succeed later: the provider could not be reached or did not answer
   * in time (an I/O failure behind it, or the AWS SDK's client-side failure), or Route 53 answered
   * that it is busy (throttling, or a 5xx), or refused the TSIG key ({@link #keyRejected()}: a
   * rotation may be under way, and each attempt reads the key again; {@code DnsRetry} tries that
   * for 10 s only). Another refusal (a name outside the zone, another switch came first, an answer
   * not signed) is met again by the same request.
   */
  public boolean transientFailure() {
    if (keyRejected) {
      return true;
    }
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
