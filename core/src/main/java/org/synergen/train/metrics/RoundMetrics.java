package org.synergen.train.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code metrics.jsonl}: a finished round.
 *
 * @param stage           training stage
 * @param round           rounds completed after this one (the checkpoint it would be written as)
 * @param step            global inner steps completed
 * @param loss            mean loss over workers and local steps
 * @param lossPerTask     mean loss per training task (e.g. und, gen)
 * @param lossPerWorker   mean loss of each worker
 * @param learningRate    learning rate of the round's last local step
 * @param gradNorm        largest pre-clipping gradient norm of any worker and step
 * @param examples        examples consumed in the round
 * @param tokens          tokens consumed in the round
 * @param examplesPerSec  examples / round wall time
 * @param tokensPerSec    tokens / round wall time
 * @param seconds         round wall time and its split (wall, compute, broadcast, aggregate)
 */
public record RoundMetrics(
    @JsonProperty("stage") int stage,
    @JsonProperty("round") long round,
    @JsonProperty("step") long step,
    @JsonProperty("loss") double loss,
    @JsonProperty("loss_per_task") Map<String, Double> lossPerTask,
    @JsonProperty("loss_per_worker") List<Double> lossPerWorker,
    @JsonProperty("lr") double learningRate,
    @JsonProperty("grad_norm") double gradNorm,
    @JsonProperty("examples") long examples,
    @JsonProperty("tokens") long tokens,
    @JsonProperty("examples_per_s") double examplesPerSec,
    @JsonProperty("tokens_per_s") double tokensPerSec,
    @JsonProperty("time_s") Seconds seconds) {

  public record Seconds(
      @JsonProperty("wall") double wall,
      @JsonProperty("compute") double compute,
      @JsonProperty("broadcast") double broadcast,
      @JsonProperty("aggregate") double aggregate) {}
}
