package dev.weft.cli.train;

import dev.weft.node.train.data.ByteCorpus;
import dev.weft.node.train.data.ShardedDataset;
import dev.weft.node.train.data.SyntheticCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the train subcommands that read a corpus. */
final class DataOptions {
  @Option(names = "--data", paramLabel = "FILE", description = "UTF-8 text file to train on (default: the built-in synthetic English-like corpus, 400 KB, no download).")
  Path data;

  @Option(names = "--shard-bytes", defaultValue = "8192", description = "Shard size in bytes (default: ${DEFAULT-VALUE}).")
  int shardBytes;

  ShardedDataset load(int context, PrintWriter err) throws IOException {
    byte[] corpus = data == null ? SyntheticCorpus.defaultCorpus() : ByteCorpus.read(data);
    ShardedDataset ds = ShardedDataset.split(corpus, shardBytes, context + 1);
    err.printf("weft: corpus %s, %d bytes: %d training shards, %d validation shards (sha2-256 addressed)%n",
        data == null ? "built-in synthetic" : data.toString(), corpus.length, ds.train().size(), ds.validation().size());
    err.flush();
    return ds;
  }
}
