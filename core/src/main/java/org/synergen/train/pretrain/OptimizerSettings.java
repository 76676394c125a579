package org.synergen.train.pretrain;

import java.io.Serializable;

/**
 * The inner optimizer of a stage: AdamW's constants, gradient clipping, and the weight of the
 * image-id loss.
 *
 * @param imageLossWeight lambda in {@code text CE + lambda * image-id CE} (docs/model.md: 2)
 */
public record OptimizerSettings(double beta1, double beta2, double eps, double weightDecay, double gradClip,
    double imageLossWeight) implements Serializable {}
