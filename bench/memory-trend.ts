/**
 * Whether a soak's resident memory stayed flat: the least-squares slope of the samples after the
 * warm-up, and the change that slope makes over that stretch. A garbage-collected server grows its
 * heap during its first minutes (V8 sizes the old generation at its first full collections), so the
 * verdict is taken on the samples after the warm-up, and the whole run's range is printed beside it.
 */

/** One reading of the child's resident size. */
export interface MemorySample {
  /** Seconds since the soak started. */
  seconds: number;
  bytes: number;
}

export interface MemoryTrend {
  /** Samples at or after the warm-up. */
  samples: number;
  min: number;
  max: number;
  /** Least-squares slope, bytes per minute. */
  bytesPerMinute: number;
  /** The slope's change over the stretch, as a share of the stretch's mean. */
  change: number;
  /** True when that change is within FLAT_CHANGE either way. */
  flat: boolean;
}

/** At most this share of change (slope × stretch over mean) still counts as flat. */
export const FLAT_CHANGE = 0.05;

/** The trend of the samples from warmupSeconds on; undefined with fewer than three of them. */
export function memoryTrend(all: readonly MemorySample[], warmupSeconds: number): MemoryTrend | undefined {
  const samples = all.filter((s) => s.seconds >= warmupSeconds);
  if (samples.length < 3) return undefined;
  const n = samples.length;
  const meanT = samples.reduce((sum, s) => sum + s.seconds, 0) / n;
  const meanB = samples.reduce((sum, s) => sum + s.bytes, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += (s.seconds - meanT) * (s.bytes - meanB);
    variance += (s.seconds - meanT) ** 2;
  }
  const bytesPerSecond = variance === 0 ? 0 : covariance / variance;
  const stretch = (samples[n - 1]?.seconds ?? 0) - (samples[0]?.seconds ?? 0);
  const change = (bytesPerSecond * stretch) / meanB;
  const values = samples.map((s) => s.bytes);
  return {
    samples: n,
    min: Math.min(...values),
    max: Math.max(...values),
    bytesPerMinute: bytesPerSecond * 60,
    change,
    flat: Math.abs(change) <= FLAT_CHANGE,
  };
}
