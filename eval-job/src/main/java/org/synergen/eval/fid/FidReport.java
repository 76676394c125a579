package org.synergen.eval.fid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.report.Reports;

/** The FID report of two image sets' statistics, as `eval score` and `eval run` write it. */
public final class FidReport {
  private FidReport() {}

  public static ObjectNode of(GaussianStats a, GaussianStats b, ObjectNode inputs, PrintStream log) {
    if (a.dimension() != b.dimension()) {
      throw new EvalInputException("set b has " + b.dimension() + "-d statistics, but set a has " + a.dimension()
          + " dimensions (" + inputs + ")");
    }
    log.println("computing the Frechet distance of " + a.dimension() + "-d statistics"
        + (a.dimension() > 512 ? " (two eigen-decompositions, about a minute for 2048-d)" : ""));
    ObjectNode report = Reports.object();
    report.put("task", "fid");
    report.put("metric", "frechet_distance");
    report.put("scale", "FID (lower is better)");
    Reports.put(report, "overall", FrechetDistance.between(a, b));
    report.put("dimension", a.dimension());
    report.set("inputs", inputs);
    return report;
  }
}
