package dev.kafkadr.config.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFile;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Where the rendered replication runs, and so the shape of the files it is rendered into. */
public enum RenderFormat {
  /** Kafka Connect REST connector configs (what {@code kdr config apply} uses), one JSON file. */
  CONNECT("connect", RenderFormat::connect),
  /** MirrorMaker 2 dedicated-mode properties, one file per tenant. */
  MM2("mm2", DedicatedMirrorMaker::render),
  /** Strimzi KafkaMirrorMaker2 resources, one per tenant and target. */
  STRIMZI("strimzi", StrimziMirrorMaker2::render),
  /** MSK Connect CreateConnector requests, one per connector. */
  MSK_CONNECT("msk-connect", MskConnect::render);

  private final String id;
  private final Function<TenantsFile, Map<String, String>> renderer;

  RenderFormat(String id, Function<TenantsFile, Map<String, String>> renderer) {
    this.id = id;
    this.renderer = renderer;
  }

  /** The name used on the command line and in golden file names. */
  public String id() {
    return id;
  }

  /** File name to file text. */
  public Map<String, String> render(TenantsFile file) {
    return renderer.apply(file);
  }

  /** The format called {@code id}. */
  public static RenderFormat of(String id) {
    for (RenderFormat f : values()) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown format \"" + id + "\"; known: connect, mm2, strimzi, msk-connect");
  }

  private static Map<String, String> connect(TenantsFile file) {
    try {
      String json =
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(new TreeMap<>(ConnectConfigs.render(file)));
      return Map.of("connectors.json", json + "\n");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
