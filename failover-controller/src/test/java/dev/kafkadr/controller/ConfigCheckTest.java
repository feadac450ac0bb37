package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Unusable configuration values are named by their keys. */
class ConfigCheckTest {

  private static ControllerConfig config(
      Path file, Duration interval, double fraction, int tailWindow) {
    return config(file, interval, fraction, tailWindow, Map.of("secondary", "http://c:8083"));
  }

  private static final ControllerConfig.Failover FAILOVER =
      new ControllerConfig.Failover() {
        @Override
        public Duration probeInterval() {
          return Duration.ofSeconds(2);
        }

        @Override
        public Duration probeTimeout() {
          return Duration.ofSeconds(2);
        }

        @Override
        public int vantagePoints() {
          return 2;
        }
      };

  private static ControllerConfig.Scan scan(Duration interval, double fraction, int tailWindow) {
    return new ControllerConfig.Scan() {
      @Override
      public Duration interval() {
        return interval;
      }

      @Override
      public double atRiskFraction() {
        return fraction;
      }

      @Override
      public int tailWindow() {
        return tailWindow;
      }

      @Override
      public Duration readTimeout() {
        return interval;
      }
    };
  }

  private static ControllerConfig.Workflow workflow(Duration interval) {
    return new ControllerConfig.Workflow() {
      @Override
      public Path journalDir() {
        return Path.of("target");
      }

      @Override
      public Duration drainTimeout() {
        return interval;
      }

      @Override
      public Duration settleTimeout() {
        return interval;
      }

      @Override
      public Duration dnsTimeout() {
        return interval.minusSeconds(1); // negative with a zero interval: a bad value
      }

      @Override
      public Duration archiveAfter() {
        return Duration.ofDays(30);
      }

      @Override
      public Optional<Path> archiveDir() {
        return Optional.empty();
      }

      @Override
      public Duration archiveEvery() {
        return Duration.ofHours(1);
      }
    };
  }

  private static ControllerConfig config(
      Path file, Duration interval, double fraction, int tailWindow, Map<String, String> connect) {
    return new ControllerConfig() {
      @Override
      public Path tenantsFile() {
        return file;
      }

      @Override
      public Map<String, String> connect() {
        return connect;
      }

      @Override
      public Map<String, java.nio.file.Path> clientConfig() {
        return Map.of();
      }

      @Override
      public Optional<Path> registryFile() {
        return Optional.empty();
      }

      @Override
      public Scan scan() {
        return ConfigCheckTest.scan(interval, fraction, tailWindow);
      }

      @Override
      public Optional<String> region() {
        return Optional.empty();
      }

      @Override
      public Failover failover() {
        return FAILOVER;
      }

      @Override
      public Debug debug() {
        return Optional::empty;
      }

      @Override
      public Drill drill() {
        return new Drill() {
          @Override
          public Optional<java.net.URI> webhookUrl() {
            return Optional.empty();
          }

          @Override
          public Optional<String> webhookSecret() {
            return Optional.empty();
          }
        };
      }

      @Override
      public ConnectRest connectRest() {
        return openConnectRest();
      }

      @Override
      public Auth auth() {
        return missingUsersFile();
      }

      @Override
      public Workflow workflow() {
        return ConfigCheckTest.workflow(interval);
      }
    };
  }

  @Test
  void aGoodConfigurationHasNoProblems() {
    Path example = Path.of("..", "configs", "examples", "active-passive.yaml");
    assertThat(ConfigCheck.problems(config(example, Duration.ofSeconds(10), 0.5, 500)))
        .containsExactly("kdr.auth.users-file: no-users.properties cannot be read");
  }

  @Test
  void everyBadValueIsReportedWithItsKey() {
    assertThat(ConfigCheck.problems(config(Path.of("no-such.yaml"), Duration.ZERO, 1.5, 0)))
        .containsExactly(
            "kdr.tenants-file: no-such.yaml cannot be read",
            "kdr.scan.interval: must be positive, was PT0S",
            "kdr.scan.at-risk-fraction: must be above 0 and at most 1, was 1.5",
            "kdr.scan.tail-window: must be between 1 and 100000, was 0",
            "kdr.scan.read-timeout: must be between 100ms and 5m, was PT0S",
            "kdr.auth.users-file: no-users.properties cannot be read",
            "kdr.workflow.drain-timeout: must be positive, was PT0S",
            "kdr.workflow.dns-timeout: must not be negative, was PT-1S");
  }

  @Test
  void aConnectUrlMustBeHttp() {
    Path example = Path.of("..", "configs", "examples", "active-passive.yaml");
    assertThat(
            ConfigCheck.problems(
                config(example, Duration.ofSeconds(1), 0.5, 1, Map.of("eu", "connect:8083"))))
        .contains("kdr.connect.eu: \"connect:8083\" is not an http:// or https:// URL");
  }

  private static ControllerConfig.ConnectRest openConnectRest() {
    return new ControllerConfig.ConnectRest() {
      @Override
      public Optional<Path> truststore() {
        return Optional.empty();
      }

      @Override
      public Optional<String> user() {
        return Optional.empty();
      }

      @Override
      public Optional<String> password() {
        return Optional.empty();
      }
    };
  }

  private static ControllerConfig.Auth missingUsersFile() {
    return new ControllerConfig.Auth() {
      @Override
      public Optional<Path> usersFile() {
        return Optional.of(Path.of("no-users.properties"));
      }

      @Override
      public Duration verifiedFor() {
        return Duration.ofMinutes(5);
      }

      @Override
      public ControllerConfig.FailedLogins failedLogins() {
        throw new UnsupportedOperationException("not read by the check");
      }
    };
  }
}
