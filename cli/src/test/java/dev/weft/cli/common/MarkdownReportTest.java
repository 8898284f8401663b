package dev.weft.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {
  @Test
  void parsesEveryPipeTableWithItsTitleAndNumbers() {
    String md = """
        ### Deltas
        some prose before

        | step | per second | note |
        |---|---:|---|
        | merge | 12,000 | **fast** |
        | verify | 8.5e3 | |

        Second table
        | a | b |
        |---|---|
        | -1.5 | x |
        """;
    ArrayNode tables = MarkdownReport.tables(md);
    assertThat(tables).hasSize(2);
    JsonNode first = tables.get(0);
    assertThat(first.get("title").asText()).isEqualTo("some prose before");
    assertThat(first.get("columns").toString()).isEqualTo("[\"step\",\"per second\",\"note\"]");
    assertThat(first.get("rows")).hasSize(2);
    // "12,000" is text for a person, not a number a script could misread.
    assertThat(first.get("rows").get(0).get("per second").isTextual()).isTrue();
    assertThat(first.get("rows").get(0).get("note").asText()).isEqualTo("fast");
    assertThat(first.get("rows").get(1).get("per second").asDouble()).isEqualTo(8500.0);
    JsonNode second = tables.get(1);
    assertThat(second.get("title").asText()).isEqualTo("Second table");
    assertThat(second.get("rows").get(0).get("a").asDouble()).isEqualTo(-1.5);
  }

  @Test
  void aRowLineWithoutSeparatorIsNotATable() {
    assertThat(MarkdownReport.tables("| just | a line |\nand text\n")).isEmpty();
  }
}
