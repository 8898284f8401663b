package dev.weft.p2p.resource;

/** A transport (or other component) that reserves through a host's {@link ResourceManager}. */
public interface ResourceAware {
  /** Called by the host before it starts listening; from then on reservations go to {@code manager}. */
  void useResourceManager(ResourceManager manager);
}
