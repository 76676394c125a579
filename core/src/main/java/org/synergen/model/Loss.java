package org.synergen.model;

/**
 * Losses of one batch: {@code total = text + imageWeight * image}.
 *
 * @param text         mean cross-entropy over the counted text targets (0 when there are none)
 * @param image        mean cross-entropy over the counted image ids (0 when there are none)
 * @param textTargets  how many text targets were counted
 * @param imageTargets how many image ids were counted (m*n per counted position)
 */
public record Loss(double total, double text, double image, int textTargets, int imageTargets) {}
