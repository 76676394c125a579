package org.synergen.train.distributed;

import java.util.Locale;

/** How the driver turns the workers' parameters into the next round's parameters. */
public enum OuterUpdate {
  /**
   * Parameter averaging (DL4J's ParameterAveragingTrainingMaster, FedAvg / local SGD): the new
   * parameters are the workers' mean, and so is the inner optimizer state (DL4J's
   * {@code saveUpdater=true}: Adam moments are carried, never reset between rounds).
   */
  AVERAGE,
  /**
   * DiLoCo (Douillard et al. 2023): the mean change of the workers is an outer gradient for a
   * Nesterov-momentum outer optimizer; every worker keeps its own inner optimizer state.
   */
  DILOCO;

  public static OuterUpdate parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown outer update '" + s + "': use average or diloco");
    }
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
