import { rpsOf } from './drive-load.js';
import type { ScenarioResult } from './format-table.js';

/** A ratio of two scenarios' rates, taken within each round, and the median of those. */
export interface RoundRatios {
  /** One per round in which both scenarios ran, in round order. */
  perRound: number[];
  /** The median of perRound (the lower middle one for an even count); NaN when there is none. */
  median: number;
}

/**
 * The rate of scenario `id` over the rate of scenario `of`, round by round. Two scenarios of one round
 * ran seconds apart, while rounds are a minute apart on a host whose speed drifts by a third within
 * minutes: a ratio of one round's two rates cancels the drift that a ratio of two medians, possibly
 * taken from different rounds, would keep.
 */
export function roundRatios(
  rounds: readonly (readonly ScenarioResult[])[],
  id: string,
  of: string,
): RoundRatios {
  const perRound: number[] = [];
  for (const round of rounds) {
    const x = round.find((r) => r.scenario.id === id);
    const base = round.find((r) => r.scenario.id === of);
    if (x !== undefined && base !== undefined) perRound.push(rpsOf(x.load) / rpsOf(base.load));
  }
  const sorted = [...perRound].sort((p, q) => p - q);
  return { perRound, median: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN };
}
