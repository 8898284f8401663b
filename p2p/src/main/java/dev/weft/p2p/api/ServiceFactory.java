package dev.weft.p2p.api;

/**
 * Makes one protocol service for one host, from what the host gives every service. Identify,
 * ping, perf, gossipsub and the DHT are installed through this seam exactly as a third-party
 * service is: {@link Host#install}.
 *
 * <p>If the service is {@link AutoCloseable} the host closes it when the host closes, services in
 * the reverse order of installation (so a service closes before those it was built on).
 *
 * @param <S> the service's type, by which {@link Host#service} finds it
 */
@FunctionalInterface
public interface ServiceFactory<S> {
  /** Builds the service: registers its stream handlers and subscriptions through {@code context}. */
  S create(ServiceContext context);
}
