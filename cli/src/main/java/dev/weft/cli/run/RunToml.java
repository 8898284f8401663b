package dev.weft.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.weft.cli.common.Errors;
import dev.weft.node.blocks.BlobManifest;
import dev.weft.node.blocks.BlobStore;
import dev.weft.node.run.InitialCheckpoint;
import dev.weft.node.run.InvalidManifestException;
import dev.weft.node.run.ManifestReader;
import dev.weft.node.run.RunManifest;
import dev.weft.p2p.api.PeerId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A coordinator's {@code run.toml}: the manifest's settings, plus what only publishing needs —
 * {@code [data] files = [...]} (shard files to seed, paths relative to the TOML file) and
 * {@code [model] checkpoint_file} (a checkpoint to seed; without it and without
 * {@code model.checkpoint}, the seeded round-0 checkpoint of the model is made). Files are stored
 * as blobs and replaced by their ids; the coordinator is the signing key's peer id.
 */
final class RunToml {
  /** A run.toml is small; anything larger is a wrong file. */
  static final long MAX_BYTES = 256 * 1024;

  /** The manifest and the blobs seeded for it. */
  record Prepared(RunManifest manifest, BlobManifest checkpoint, List<BlobManifest> shards) {}

  private RunToml() {}

  static JsonNode parse(Path file) throws IOException {
    byte[] bytes = Errors.readFile("run", file, MAX_BYTES);
    try {
      JsonNode root = new TomlMapper().readTree(bytes);
      if (root == null || !root.isObject()) throw new Errors.FileProblem("run file " + file + ": not a TOML table", null);
      return root;
    } catch (Errors.FileProblem e) {
      throw e;
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new Errors.FileProblem("run file " + file + " is not valid TOML: " + m, e);
    }
  }

  /**
   * Validates {@code file}, seeding its files into {@code store} (null: validate only, files are
   * hashed but not stored).
   */
  static Prepared prepare(Path file, PeerId coordinator, BlobStore store) throws IOException, InvalidManifestException {
    ObjectNode root = (ObjectNode) parse(file);
    Path base = file.toAbsolutePath().getParent();
    if (root.has("coordinator") && !root.get("coordinator").asText().equals(coordinator.toBase58())) {
      throw new InvalidManifestException("coordinator", "the file names " + root.get("coordinator").asText() + " but the key is " + coordinator
          + " (leave it out: publish fills it in)");
    }
    root.put("coordinator", coordinator.toBase58());
    ObjectNode model = root.has("model") && root.get("model").isObject() ? (ObjectNode) root.get("model") : root.putObject("model");
    ObjectNode data = root.has("data") && root.get("data").isObject() ? (ObjectNode) root.get("data") : root.putObject("data");
    List<BlobManifest> shards = new ArrayList<>();
    JsonNode files = data.remove("files");
    if (files != null) {
      if (!files.isArray()) throw new InvalidManifestException("data.files", "must be a list of file paths");
      ArrayNode ids = data.has("shards") && data.get("shards").isArray() ? (ArrayNode) data.get("shards") : data.putArray("shards");
      for (JsonNode f : files) {
        Path p = base.resolve(f.asText());
        BlobManifest m = seed(store, p, "data.files");
        shards.add(m);
        ids.add(m.id().toString());
      }
    }
    BlobManifest checkpoint = null;
    JsonNode ckptFile = model.remove("checkpoint_file");
    if (ckptFile != null) {
      checkpoint = seed(store, base.resolve(ckptFile.asText()), "model.checkpoint_file");
      model.put("checkpoint", checkpoint.id().toString());
    } else if (!model.has("checkpoint") && model.has("spec") && model.get("spec").isTextual()) {
      byte[] ckpt = initial(root, model);
      if (ckpt != null) {
        checkpoint = store == null ? BlobManifest.of(ckpt, dev.weft.node.blocks.BlocksConfig.defaults().chunkBytes()) : store.put(ckpt);
        model.put("checkpoint", checkpoint.id().toString());
      }
    }
    return new Prepared(ManifestReader.read(root), checkpoint, shards);
  }

  /** The round-0 checkpoint, or null when the settings it needs are invalid (the reader will say so). */
  private static byte[] initial(JsonNode root, JsonNode model) {
    try {
      JsonNode outer = root.path("outer");
      return InitialCheckpoint.encode(model.get("spec").asText(), model.path("seed").asLong(0), root.path("training").path("inner_steps").asInt(1),
          outer.path("optimizer").asText("nesterov"), outer.path("lr").asDouble(0.7), outer.path("momentum").asDouble(0.9));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static BlobManifest seed(BlobStore store, Path p, String field) throws IOException, InvalidManifestException {
    if (!java.nio.file.Files.isRegularFile(p)) throw new InvalidManifestException(field, "no such file: " + p);
    try {
      if (store != null) return store.putFile(p);
      byte[] b = Errors.readFile("shard", p, Integer.MAX_VALUE - 64);
      return BlobManifest.of(b, dev.weft.node.blocks.BlocksConfig.defaults().chunkBytes());
    } catch (IOException e) {
      throw Errors.file("read", "data", p, e);
    }
  }
}
