package dev.weft.cli.key;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.KeyFiles;
import dev.weft.p2p.crypto.PrivKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft key}: create and inspect node identity keys (libp2p PrivateKey protobuf files, 0600). */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Create and inspect node identity keys.",
    footer = {"", "Examples:", "  weft key new --out node.key", "  weft key show node.key", "  weft key show --json node.key"},
    subcommands = {KeyCommand.New.class, KeyCommand.Show.class})
public final class KeyCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description = "Generate a new Ed25519 identity and write it (owner-only, 0600); with --json prints {\"peerId\":...,\"file\":...}.",
      footer = {"", "Examples:", "  weft key new --out node.key", "  weft key new --out node.key --force --json"})
  static final class New implements Callable<Integer> {
    @CommandLine.Mixin dev.weft.cli.common.Output output;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing key file (the old identity is lost).")
    boolean force;

    @Override public Integer call() throws IOException {
      PrivKey key = Ed25519.generate(new SecureRandom());
      try {
        KeyFiles.save(key, out, force);
      } catch (FileAlreadyExistsException e) {
        throw new IOException("key file " + out + " already exists (use --force to replace it)", e);
      } catch (IOException e) {
        throw dev.weft.cli.common.Errors.file("write", "key", out, e);
      }
      ObjectNode result = JSON.createObjectNode();
      String peer = PeerId.fromPublicKey(key.publicKey()).toBase58();
      result.put("peerId", peer);
      result.put("file", out.toAbsolutePath().toString());
      output.result(result, "weft: wrote " + out + " (peer id " + peer + ")");
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show the peer id of a key file (with --json: {\"peerId\",\"cid\",\"type\",\"publicKey\"}).",
      footer = {"", "Examples:", "  weft key show node.key", "  weft key show --json node.key"})
  static final class Show implements Callable<Integer> {
    @CommandLine.Mixin dev.weft.cli.common.Output output;

    @Parameters(index = "0", paramLabel = "FILE", description = "Key file written by 'weft key new'.")
    Path file;

    @Override public Integer call() throws IOException {
      PrivKey key;
      try {
        key = KeyFiles.load(file);
      } catch (KeyFiles.KeyFileException e) {
        throw e;
      } catch (IOException e) {
        throw dev.weft.cli.common.Errors.file("read", "key", file, e);
      }
      PeerId id = PeerId.fromPublicKey(key.publicKey());
      ObjectNode result = JSON.createObjectNode();
      result.put("peerId", id.toBase58());
      result.put("cid", id.toCid().toString());
      result.put("type", key.type().name());
      result.put("publicKey", HexFormat.of().formatHex(key.publicKey().marshal()));
      output.result(result, id.toBase58() + " (" + key.type().name() + ")");
      return 0;
    }
  }
}
