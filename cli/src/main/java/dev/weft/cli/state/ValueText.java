package dev.weft.cli.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.p2p.ServeContext;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.GCounter;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.crdt.type.MVRegister;
import dev.weft.crdt.type.ORMap;
import dev.weft.crdt.type.ORSet;
import dev.weft.crdt.type.PNCounter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** CRDT values as JSON for dumps and serve replies: text when the bytes are UTF-8, else base64. */
final class ValueText {
  private ValueText() {}

  static ObjectNode render(String key, Crdt value) {
    ObjectNode o = ServeContext.JSON.createObjectNode().put("key", key).put("type", value.type().toString());
    switch (value) {
      case LwwRegister r -> {
        if (r.isBottom()) break;
        bytes(o, "value", r.value());
        o.put("stamp", r.stamp().toString()).put("writer", r.writer());
      }
      case GCounter g -> o.put("value", g.value());
      case PNCounter p -> o.put("value", p.value());
      case MVRegister m -> {
        ArrayNode a = o.putArray("values");
        for (Bytes b : m.values()) a.add(text(b));
      }
      case ORSet s -> o.set("elements", ServeContext.strings(s.elements()));
      case ORMap m -> o.set("keys", ServeContext.strings(m.keys()));
    }
    return o;
  }

  private static void bytes(ObjectNode o, String field, Bytes b) {
    String t = utf8(b);
    if (t != null) o.put(field, t);
    else o.put(field + "B64", Base64.getEncoder().encodeToString(b.toByteArray()));
  }

  private static String text(Bytes b) {
    String t = utf8(b);
    return t != null ? t : "base64:" + Base64.getEncoder().encodeToString(b.toByteArray());
  }

  private static String utf8(Bytes b) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b.toByteArray())).toString();
      return s.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\t') ? s : null;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
