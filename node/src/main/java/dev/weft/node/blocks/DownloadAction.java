package dev.weft.node.blocks;

import dev.weft.p2p.api.PeerId;

/** What a {@link DownloadScheduler} wants done next. */
public sealed interface DownloadAction {
  /** Ask {@code provider} for the manifest now; it counts as in flight until a reply, an error or its deadline. */
  record FetchManifest(PeerId provider) implements DownloadAction {}

  /** Ask {@code provider} for chunk {@code index} now. */
  record FetchChunk(PeerId provider, int index) implements DownloadAction {}

  /** Nothing to send until a reply arrives or {@code untilMillis} (a deadline or a back-off's end). */
  record Wait(long untilMillis) implements DownloadAction {}

  /** Every chunk is verified and stored. */
  record Done(BlobManifest manifest) implements DownloadAction {}

  /** It cannot finish with the providers it has: {@code reason} says why. */
  record Failed(String reason) implements DownloadAction {}
}
