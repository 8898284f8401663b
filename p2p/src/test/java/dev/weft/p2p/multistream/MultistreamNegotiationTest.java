package dev.weft.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultistreamNegotiationTest {
  /** Runs both sides against each other until both are done; returns {initiator, responder} results. */
  static String[] converse(MultistreamNegotiation a, MultistreamNegotiation b) {
    Deque<String> toB = new ArrayDeque<>(a.start());
    Deque<String> toA = new ArrayDeque<>(b.start());
    String[] result = new String[2];
    for (int guard = 0; guard < 100 && (result[0] == null || result[1] == null); guard++) {
      if (result[1] == null && !toB.isEmpty()) {
        MultistreamNegotiation.Step s = b.onMessage(toB.poll());
        toA.addAll(s.send());
        if (s.done()) result[1] = s.selected() != null ? s.selected() : "FAILED: " + s.failure();
      } else if (result[0] == null && !toA.isEmpty()) {
        MultistreamNegotiation.Step s = a.onMessage(toA.poll());
        toB.addAll(s.send());
        if (s.done()) result[0] = s.selected() != null ? s.selected() : "FAILED: " + s.failure();
      } else {
        break;
      }
    }
    return result;
  }

  @Test void agreesOnTheFirstSupportedProposalAfterNa() {
    var init = MultistreamNegotiation.initiator(List.of("/tls/1.0.0", "/noise"));
    var resp = MultistreamNegotiation.responder(Set.of("/noise")::contains);
    assertThat(converse(init, resp)).containsExactly("/noise", "/noise");
  }

  @Test void initiatorPipelinesHeaderAndFirstProposal() {
    assertThat(MultistreamNegotiation.initiator(List.of("/a")).start()).containsExactly("/multistream/1.0.0", "/a");
    assertThat(MultistreamNegotiation.responder(p -> true).start()).containsExactly("/multistream/1.0.0");
  }

  @Test void failsWhenNothingIsSupported() {
    var init = MultistreamNegotiation.initiator(List.of("/x", "/y"));
    var resp = MultistreamNegotiation.responder(p -> false);
    String[] r = converse(init, resp);
    assertThat(r[0]).startsWith("FAILED").contains("none of");
    assertThat(r[1]).isNull(); // the responder keeps waiting; the channel owner closes it
  }

  @Test void responderAnswersNaToLsAndUnknownAndGivesUpAfterTheLimit() {
    var resp = MultistreamNegotiation.responder(Set.of("/ok")::contains);
    resp.onMessage(MultistreamCodec.PROTOCOL_ID);
    assertThat(resp.onMessage("ls").send()).containsExactly("na");
    MultistreamNegotiation.Step last = null;
    for (int i = 0; i < MultistreamNegotiation.MAX_REJECTED_PROPOSALS; i++) last = resp.onMessage("/unknown/" + i);
    assertThat(last.failure()).isNotNull();
  }

  @Test void wrongHeaderFails() {
    var resp = MultistreamNegotiation.responder(p -> true);
    assertThat(resp.onMessage("/multistream/2.0.0").failure()).contains("header");
    var init = MultistreamNegotiation.initiator(List.of("/a"));
    init.onMessage(MultistreamCodec.PROTOCOL_ID);
    assertThat(init.onMessage("/b").failure()).contains("answered");
  }
}
