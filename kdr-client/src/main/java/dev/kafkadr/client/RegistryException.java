package dev.kafkadr.client;

/** The registry could not say where a tenant is: the message names the tenant, URL and reason. */
public final class RegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public RegistryException(String message) {
    super(message);
  }
}
