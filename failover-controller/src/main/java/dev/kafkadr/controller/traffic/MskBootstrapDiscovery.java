package dev.kafkadr.controller.traffic;

import java.net.URI;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kafka.KafkaClient;
import software.amazon.awssdk.services.kafka.model.GetBootstrapBrokersResponse;
import software.amazon.awssdk.services.kafka.model.KafkaException;

/**
 * The bootstrap servers of an Amazon MSK cluster for the authentication its clients use, from the
 * cluster's ARN (MSK's {@code GetBootstrapBrokers}): what the controller hands a tenant's clients
 * when the target is MSK.
 */
public final class MskBootstrapDiscovery {

  /** How a tenant's clients authenticate to the MSK cluster. */
  public enum Auth {
    /** SASL/IAM (aws-msk-iam-auth), port 9098. */
    IAM,
    /** TLS, with or without client certificates, port 9094. */
    TLS,
    /** SASL/SCRAM over TLS, port 9096. */
    SCRAM,
    /** No encryption, port 9092. */
    PLAINTEXT
  }

  private final KafkaClient msk;

  /** Discovery through {@code msk}. */
  public MskBootstrapDiscovery(KafkaClient msk) {
    this.msk = msk;
  }

  /** An MSK client for {@code region}; {@code endpoint} overrides MSK's when given. */
  public static KafkaClient client(
      Region region, URI endpoint, AwsCredentialsProvider credentials) {
    var builder =
        KafkaClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  /**
   * The cluster's bootstrap servers for {@code auth}.
   *
   * @throws IllegalStateException naming the cluster and why: unknown, not allowed, or without
   *     brokers for that authentication
   */
  public String bootstrapServers(String clusterArn, Auth auth) {
    GetBootstrapBrokersResponse r;
    try {
      r = msk.getBootstrapBrokers(b -> b.clusterArn(clusterArn));
    } catch (KafkaException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      String why =
          switch (code) {
            case "NotFoundException" -> "there is no such cluster";
            case "ForbiddenException", "UnauthorizedException", "AccessDeniedException" ->
                "access denied: the credentials may not call kafka:GetBootstrapBrokers on it";
            default -> "MSK answered " + e.statusCode() + " " + code;
          };
      throw new IllegalStateException("MSK cluster " + clusterArn + ": " + why, e);
    } catch (SdkClientException e) {
      throw new IllegalStateException(
          "MSK cluster " + clusterArn + ": MSK cannot be reached: " + e.getMessage(), e);
    }
    String servers =
        switch (auth) {
          case IAM -> r.bootstrapBrokerStringSaslIam();
          case TLS -> r.bootstrapBrokerStringTls();
          case SCRAM -> r.bootstrapBrokerStringSaslScram();
          case PLAINTEXT -> r.bootstrapBrokerString();
        };
    if (servers == null || servers.isBlank()) {
      throw new IllegalStateException(
          "MSK cluster "
              + clusterArn
              + " has no bootstrap brokers for "
              + auth
              + ": "
              + auth.name().toLowerCase(Locale.ROOT)
              + " is not enabled on it");
    }
    return servers;
  }
}
