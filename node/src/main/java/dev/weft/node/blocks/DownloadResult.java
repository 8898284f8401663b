package dev.weft.node.blocks;

import java.util.List;

/**
 * A finished download.
 *
 * @param fetched chunks downloaded in this session
 * @param resumed chunks already held (and re-verified) when it started
 * @param corrupt corrupt chunks received and discarded
 * @param providers how each provider did
 */
public record DownloadResult(BlobManifest manifest, int fetched, int resumed, int corrupt, List<DownloadScheduler.ProviderReport> providers, long millis) {
  public DownloadResult {
    providers = List.copyOf(providers);
  }
}
