package dev.kafkadr.config.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.ConnectPlacement;
import dev.kafkadr.config.TenantsFile;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Where the rendered replication runs, and so the shape of the files it is rendered into. */
public enum RenderFormat {
  /**
   * Kafka Connect REST connector configs (what {@code kdr config apply} uses), one JSON file per
   * Connect cluster: {@code connectors.json} for the default one, {@code connectors.<name>.json}
   * for each declared cluster a tenant runs on.
   */
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
    Map<String, String> out = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ConnectConfigs.renderByCluster(file)
        .forEach(
            (cluster, connectors) -> {
              String name =
                  ConnectPlacement.DEFAULT_CLUSTER.equals(cluster)
                      ? "connectors.json"
                      : "connectors." + cluster + ".json";
              try {
                out.put(name, json.writeValueAsString(new TreeMap<>(connectors)) + "\n");
              } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
              }
            });
    return out;
  }
}
