package dev.weft.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * One command of {@code weft p2p serve}'s stdin protocol: a JSON object with {@code "cmd"} equal to
 * {@link #name()} comes in, one JSON object goes out. Later areas (gossipsub, DHT) add commands by
 * implementing this and registering in {@link ServeCommands} (or through
 * {@code META-INF/services/dev.weft.cli.p2p.ServeCommand}).
 *
 * <p>{@link #execute} runs on the session's reader thread and must not block: return a future.
 * Throw {@link IllegalArgumentException} (or fail the future with it) for bad arguments; the
 * session turns any failure into an {@code {"error":...}} line.
 */
public interface ServeCommand {
  String name();

  /** One line for {@code {"cmd":"help"}}. */
  String description();

  /**
   * Runs the command. The result's fields are printed with {@code "cmd"} (and {@code "id"} when the
   * request had one) added.
   */
  CompletableFuture<ObjectNode> execute(ServeContext context, JsonNode request);

  /** Default time limit; the request may override it with {@code "timeoutMs"}. */
  default long timeoutMillis() {
    return 60_000;
  }
}
