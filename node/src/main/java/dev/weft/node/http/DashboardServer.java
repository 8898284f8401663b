package dev.weft.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The node's local web page and HTTP API (Vert.x):
 *
 * <ul>
 *   <li>{@code GET /} — the dashboard: peers and connection types, round and phase, the loss
 *       curve, and what happened to this node's last contribution and why;
 *   <li>{@code GET /api/status} — the JSON behind it ({@link NodeStatus} documents the fields);
 *   <li>{@code GET /metrics} — Prometheus text format ({@link NodeMetrics}).
 * </ul>
 *
 * Read-only: nothing here changes the node. Requests are served on Vert.x's own event loop (one
 * thread), never on the host's scheduler or Netty's I/O threads.
 */
public final class DashboardServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private DashboardServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts listening; fails with the reason (e.g. the port is taken). */
  public static DashboardServer start(DashboardConfig config, NodeStatus status, NodeMetrics metrics) throws IOException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
    String page = page(config);
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-store").end(page));
    router.get("/api/status").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(status.toJson().toString()));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return new DashboardServer(vertx, server);
    } catch (Exception e) {
      vertx.close();
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot start the dashboard on " + config.host() + ":" + config.port() + ": " + c.getMessage(), c);
    }
  }

  private static String page(DashboardConfig config) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream("dashboard.html")) {
      if (in == null) throw new IOException("dashboard.html missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__POLL_MS__", Integer.toString(config.pollMillis()));
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port/}. */
  public String url(String host) {
    return "http://" + host + ":" + port() + "/";
  }

  @Override public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing on shutdown: nothing to do with a failure
    }
  }
}
