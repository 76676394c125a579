package org.synergen.tokenize.tiling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.synergen.vision.tiling.DynamicTiling;
import org.synergen.vision.tiling.TileGrid;
import org.synergen.vision.tiling.TilingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "tiles",
    mixinStandardHelpOptions = true,
    description = {
        "InternVL-1.5's dynamic resolution for an image size, as one JSON object {\"cols\", \"rows\",",
        "\"tiles\", \"boxes\"}: the grid, the tile count (with the thumbnail, added only when the grid",
        "has more than one tile), and each tile's crop box [x0, y0, x1, y1] in the image resized to",
        "(tile-size*cols, tile-size*rows). Defaults are InternVL's dynamic_preprocess defaults."})
public final class TilesCommand implements Callable<Integer> {
  @Option(names = "--width", required = true, paramLabel = "W") int width;
  @Option(names = "--height", required = true, paramLabel = "H") int height;
  @Option(names = "--min-tiles", paramLabel = "N", defaultValue = "1", description = "default ${DEFAULT-VALUE}") int minTiles;
  @Option(names = "--max-tiles", paramLabel = "N", defaultValue = "12", description = "default ${DEFAULT-VALUE}") int maxTiles;
  @Option(names = "--tile-size", paramLabel = "S", defaultValue = "448", description = "default ${DEFAULT-VALUE}") int tileSize;
  @Option(names = "--thumbnail", description = "append the whole image as one more tile when the grid has >1") boolean thumbnail;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    TileGrid g;
    try {
      g = new DynamicTiling(new TilingConfig(tileSize, minTiles, maxTiles, thumbnail)).chooseGrid(width, height);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("tiles: " + e.getMessage());
      return 2;
    }
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("cols", g.cols());
    out.put("rows", g.rows());
    out.put("tiles", g.tiles() + (thumbnail && g.tiles() != 1 ? 1 : 0));
    ArrayNode boxes = out.putArray("boxes");
    for (int i = 0; i < g.tiles(); i++) {
      int x = (i % g.cols()) * tileSize;
      int y = (i / g.cols()) * tileSize;
      boxes.addArray().add(x).add(y).add(x + tileSize).add(y + tileSize);
    }
    spec.commandLine().getOut().println(out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
