/**
 * The learned abstention model's shape and its probability (see abstention.ts; the fitted values
 * are in abstention-weights.ts, written by scripts/train-abstention.ts).
 */

/** A fitted logistic model: inputs are standardised (x − mean) / scale before the weights apply. */
export interface AbstentionModel {
  features: readonly string[];
  mean: readonly number[];
  scale: readonly number[];
  weights: readonly number[];
  bias: number;
  /** Decline when the probability that the question is unanswerable reaches this. */
  threshold: number;
}

/** Probability (0–1) that the documentation does not answer the question. */
export function unanswerableProbability(x: readonly number[], model: AbstentionModel): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i += 1) {
    z += (model.weights[i] as number) * (((x[i] ?? 0) - (model.mean[i] ?? 0)) / (model.scale[i] || 1));
  }
  return 1 / (1 + Math.exp(-z));
}
