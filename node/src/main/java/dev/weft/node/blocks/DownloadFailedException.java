package dev.weft.node.blocks;

import java.util.List;

/** A download that could not finish; the message says why, the reports say what each provider did. */
public final class DownloadFailedException extends Exception {
  private final transient List<DownloadScheduler.ProviderReport> providers;

  public DownloadFailedException(String message, List<DownloadScheduler.ProviderReport> providers) {
    super(message);
    this.providers = List.copyOf(providers);
  }

  public List<DownloadScheduler.ProviderReport> providers() {
    return providers;
  }
}
