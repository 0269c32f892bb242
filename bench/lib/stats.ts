/** Nearest-rank percentile of unsorted samples; null when there are none. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function round(value: number | null, digits = 0): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Counts per whole second since `startMs`, as [second, count] points with empty seconds filled in. */
export function perSecond(timestampsMs: readonly number[], startMs: number): Array<[number, number]> {
  if (timestampsMs.length === 0) return [];
  const bins = new Map<number, number>();
  let last = 0;
  for (const t of timestampsMs) {
    const second = Math.max(0, Math.floor((t - startMs) / 1000));
    bins.set(second, (bins.get(second) ?? 0) + 1);
    last = Math.max(last, second);
  }
  return Array.from({ length: last + 1 }, (_, s) => [s, bins.get(s) ?? 0]);
}

/**
 * Trailing moving average over `width` points. Batched records land in bursts once per batch window, so a width
 * that is a multiple of the window shows the rate without the comb.
 */
export function movingAverage(points: ReadonlyArray<[number, number]>, width: number): Array<[number, number]> {
  return points.map(([x], i) => {
    const slice = points.slice(Math.max(0, i - width + 1), i + 1);
    return [x, Math.round((slice.reduce((sum, [, y]) => sum + y, 0) / slice.length) * 10) / 10];
  });
}
