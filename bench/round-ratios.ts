import { quantile } from './quantile.js';
import type { ScenarioResult } from './scenario-result.js';

/** A ratio of two scenarios' rates, taken within each round, with its median and range. */
export interface RoundRatios {
  /** One per round in which both scenarios ran, in round order. */
  perRound: number[];
  /** The median of perRound (the lower middle one for an even count); NaN when there is none. */
  median: number;
  min: number;
  max: number;
}

/**
 * The rate of scenario `id` over the rate of scenario `of` (or another measure of theirs, such as the
 * server CPU per request), round by round. Two scenarios of one round ran seconds apart, while rounds
 * are minutes apart on a shared host whose load changes: a ratio of one round's two rates cancels the
 * drift that a ratio of two medians from different rounds would keep.
 */
export function roundRatios<R extends Pick<ScenarioResult, 'scenario' | 'rps'>>(
  rounds: readonly (readonly R[])[],
  id: string,
  of: string,
  measure: (r: R) => number = (r) => r.rps,
): RoundRatios {
  const perRound: number[] = [];
  for (const round of rounds) {
    const x = round.find((r) => r.scenario.id === id);
    const base = round.find((r) => r.scenario.id === of);
    if (x !== undefined && base !== undefined) perRound.push(measure(x) / measure(base));
  }
  const sorted = [...perRound].sort((p, q) => p - q);
  return {
    perRound,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}
