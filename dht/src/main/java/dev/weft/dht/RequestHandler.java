package dev.weft.dht;

import dev.weft.dht.codec.AnswerBuilder;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.dht.codec.DhtMessage.DhtRecord;
import dev.weft.dht.codec.DhtMessage.Type;
import dev.weft.dht.keyspace.KadKey;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.record.InvalidRecordException;
import dev.weft.dht.routing.RoutingTable;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.multiformats.Multihash;
import dev.weft.p2p.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests other peers send us (kad-dht spec, "RPC messages"): stores what they may
 * store within their quotas, and builds every answer to fit the reader's limit. Each peer gets
 * {@link DhtLimits#requestBurst} requests at once and {@link DhtLimits#requestsPerSecond} after
 * that; a request over the rate gets no answer (the adapter resets its stream), and is not a
 * misbehaviour (a busy honest peer may hit it).
 *
 * <p>Providers in a GET_PROVIDERS answer go in order of trust: verified by contact first (in our
 * routing table, no misbehaviour), then the lighter records (fewer, shorter addresses). So identities that announce a key with fat address lists cannot push an
 * honest provider out of the answer (or the answer over the limit).
 *
 * <p>Not thread-safe: runs on the node's scheduler.
 */
final class RequestHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  private final PeerInfo self;
  /** Ourselves with the addresses we announce now: a lookup of our own id gets those, not the start-time ones. */
  private final java.util.function.Supplier<PeerInfo> announced;
  private final DhtConfig config;
  private final Clock clock;
  private final RoutingTable table;
  private final PeerScores scores;
  private final RecordBook records;
  private final ProviderBook providers;
  private final TableUpkeep upkeep;
  private final RequestRateLimiter rate;
  private long served;

  RequestHandler(PeerInfo self, java.util.function.Supplier<PeerInfo> announced, DhtConfig config, Clock clock, RoutingTable table, PeerScores scores, RecordBook records, ProviderBook providers,
      TableUpkeep upkeep) {
    this.self = self;
    this.announced = announced;
    this.config = config;
    this.clock = clock;
    this.table = table;
    this.scores = scores;
    this.records = records;
    this.providers = providers;
    this.upkeep = upkeep;
    this.rate = new RequestRateLimiter(config.limits());
  }

  long served() {
    return served;
  }

  RequestRateLimiter rateLimiter() {
    return rate;
  }

  /** See {@link KadNode#handleRequest}. */
  Optional<DhtMessage> handle(PeerInfo from, boolean fromIsServer, DhtMessage req) {
    long now = clock.nowMillis();
    if (scores.isBanned(from.id(), now)) return Optional.empty();
    if (!rate.tryAcquire(from.id(), now)) {
      LOG.trace("over the request rate: {}", from.id());
      return Optional.empty();
    }
    served++;
    if (fromIsServer) upkeep.consider(from);
    KadKey target = KadKey.ofKey(req.key());
    return switch (req.type()) {
      case FIND_NODE -> Optional.of(answer(Type.FIND_NODE, req.key(), null, closerPeers(target, from.id(), req.key()), List.of()));
      case GET_VALUE -> {
        DhtRecord rec = records.get(req.key())
            .map(r -> new DhtRecord(req.key(), r.value(), Instant.ofEpochMilli(r.receivedAtEpochMillis()).toString()))
            .orElse(null);
        yield Optional.of(answer(Type.GET_VALUE, req.key(), rec, closerPeers(target, from.id(), req.key()), List.of()));
      }
      case PUT_VALUE -> handlePut(from, req);
      case GET_PROVIDERS -> Optional.of(answer(Type.GET_PROVIDERS, req.key(), null, closerPeers(target, from.id(), req.key()),
          rankedProviders(req.key())));
      case ADD_PROVIDER -> {
        handleAddProvider(from, req);
        yield Optional.empty();
      }
      case PING -> Optional.of(DhtMessage.request(Type.PING, req.key()));
    };
  }

  void onMalformed(PeerId peer, String reason) {
    LOG.debug("malformed request from {}: {}", peer, reason);
    upkeep.penalise(peer, PeerScores.Offence.MALFORMED_MESSAGE);
  }

  private DhtMessage answer(Type type, byte[] key, DhtRecord rec, List<PeerInfo> closer, List<PeerInfo> provs) {
    DhtLimits l = config.limits();
    return AnswerBuilder.build(type, key, rec, closer, provs, l.maxAnswerBytes(), l.answerAddrsPerPeer());
  }

  /** Every live provider of {@code key}, most trusted first. */
  private List<PeerInfo> rankedProviders(byte[] key) {
    List<PeerInfo> all = new ArrayList<>(providers.get(key, config.limits().maxProvidersPerKey()));
    all.sort(Comparator.comparing((PeerInfo p) -> !(p.id().equals(self.id()) || upkeep.trusted(p.id())))
        .thenComparingInt(RequestHandler::addrBytes));
    return all;
  }

  private static int addrBytes(PeerInfo p) {
    int n = 0;
    for (byte[] a : p.addrs()) n += a.length;
    return n;
  }

  private Optional<DhtMessage> handlePut(PeerInfo from, DhtMessage req) {
    DhtRecord rec = req.record();
    if (rec == null || !Arrays.equals(rec.key(), req.key())) {
      upkeep.penalise(from.id(), PeerScores.Offence.WRONG_RESPONSE);
      return Optional.empty();
    }
    try {
      if (records.putFrom(from.id(), rec.key(), rec.value()) == RecordBook.PutOutcome.FULL) {
        LOG.debug("PUT_VALUE from {} refused: store full", from.id());
        return Optional.empty();
      }
      return Optional.of(req);
    } catch (InvalidRecordException e) {
      LOG.debug("rejected PUT_VALUE from {}: {}", from.id(), e.getMessage());
      upkeep.penalise(from.id(), PeerScores.Offence.INVALID_RECORD);
      return Optional.empty();
    }
  }

  private void handleAddProvider(PeerInfo from, DhtMessage req) {
    try {
      Multihash.decode(req.key());
    } catch (IllegalArgumentException e) {
      upkeep.penalise(from.id(), PeerScores.Offence.WRONG_RESPONSE);
      return;
    }
    for (PeerInfo p : req.providerPeers()) {
      if (!p.id().equals(from.id())) {
        // only the sender may announce itself (spec); go and js skip others silently, we also score it
        upkeep.penalise(from.id(), PeerScores.Offence.FORGED_PROVIDER);
        continue;
      }
      providers.add(req.key(), p.addrs().isEmpty() ? from : p);
    }
  }

  private List<PeerInfo> closerPeers(KadKey target, PeerId requester, byte[] key) {
    int k = config.lookup().k();
    List<PeerInfo> out = new ArrayList<>(k);
    if (Arrays.equals(key, self.id().bytes())) out.add(announced.get());
    for (PeerInfo p : table.closest(target, k + 1)) {
      if (!p.id().equals(requester) && out.size() < k) out.add(p);
    }
    return out;
  }
}
