package dev.kafkadr.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kafkadr.tenant.Problem;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys given twice in one YAML mapping ({@code rpo: 30s}, then {@code rpo: 1h}): a YAML reader
 * keeps the last silently, so the file would mean something its author did not see. Found on
 * Jackson's YAML token stream, so that both places can be named: the path of the key and the line
 * and column of each occurrence.
 */
final class DuplicateKeys {

  private DuplicateKeys() {}

  /** One mapping being read: the keys seen with where, and the path to it. */
  private static final class Frame {
    final String path;
    final boolean array;
    final Map<String, JsonLocation> keys = new HashMap<>();
    int index = -1;
    String field;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String child() {
      if (array) {
        return path + "[" + index + "]";
      }
      return path.isEmpty() ? field : path + "." + field;
    }
  }

  /** Every key given twice in {@code text}, at its path, naming both positions. */
  static List<Problem> find(String text) throws IOException {
    List<Problem> out = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        Frame top = stack.peek();
        if (t == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation at = p.currentTokenLocation();
          JsonLocation first = top.keys.putIfAbsent(key, at);
          top.field = key;
          if (first != null) {
            out.add(
                new Problem(
                    top.child(),
                    "given twice in one mapping, at line "
                        + first.getLineNr()
                        + " column "
                        + first.getColumnNr()
                        + " and at line "
                        + at.getLineNr()
                        + " column "
                        + at.getColumnNr()
                        + "; a YAML reader would silently keep the second"));
          }
          continue;
        }
        if (top != null && top.array && t != JsonToken.END_ARRAY) {
          top.index++;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          stack.push(new Frame(top == null ? "" : top.child(), t == JsonToken.START_ARRAY));
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          stack.pop();
        }
      }
    }
    return out;
  }
}
