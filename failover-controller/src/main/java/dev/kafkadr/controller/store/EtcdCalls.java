package dev.kafkadr.controller.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for one etcd call, bounded: jetcd retries on its own and would otherwise wait on. */
final class EtcdCalls {

  private EtcdCalls() {}

  /**
   * The call's answer within {@code timeout}.
   *
   * @throws StoreException when etcd answered an error, did not answer in time (the call is
   *     cancelled), or the thread was interrupted
   */
  static <T> T await(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new StoreException("etcd: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new StoreException("etcd did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for etcd", e);
    }
  }
}
