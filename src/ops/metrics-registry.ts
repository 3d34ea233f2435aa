/** Label values of one series, by label name. */
export type Labels = Readonly<Record<string, string>>;

/** A monotonically increasing count per label set. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

/** Observations counted into cumulative buckets per label set. */
export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

/**
 * A tiny Prometheus registry (text exposition format 0.0.4): counters, histograms and gauges read when
 * scraped. Hand-written rather than prom-client: the sandbox needs a dozen series, and one less
 * dependency to keep within Node 20's limits. Label sets are fixed by the caller, who keeps them bounded.
 */
export interface MetricsRegistry {
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram;
  /** A gauge whose value(s) are read at scrape time. */
  gauge(name: string, help: string, read: () => number | ReadonlyArray<readonly [Labels, number]>): void;
  /** `counter` typed gauge read at scrape time (e.g. process CPU seconds). */
  counterFrom(name: string, help: string, read: () => number): void;
  render(): string;
}

/** The content type of render()'s text. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatNumber(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return Number.isNaN(n) ? 'NaN' : String(n);
}

function valuesOf(labelNames: readonly string[], labels: Labels | undefined): string[] {
  return labelNames.map((n) => labels?.[n] ?? '');
}

/**
 * The series of one metric by label values: one Map level per label, so finding a series (on every
 * gateway request) builds no key string; `all` keeps them in the order they appeared.
 */
function seriesTable<S>(labelNames: readonly string[]) {
  const root = new Map<string, unknown>();
  const all: S[] = [];
  return {
    all,
    find(labels: Labels | undefined, create: (values: string[]) => S): S {
      let level = root;
      const last = labelNames.length - 1;
      for (let i = 0; i < last; i++) {
        const value = labels?.[labelNames[i]!] ?? '';
        let next = level.get(value) as Map<string, unknown> | undefined;
        if (next === undefined) {
          next = new Map();
          level.set(value, next);
        }
        level = next;
      }
      const value = last < 0 ? '' : (labels?.[labelNames[last]!] ?? '');
      let series = level.get(value) as S | undefined;
      if (series === undefined) {
        series = create(valuesOf(labelNames, labels));
        level.set(value, series);
        all.push(series);
      }
      return series;
    },
  };
}

/** Creates an empty registry. */
export function createMetricsRegistry(): MetricsRegistry {
  const sections: Array<() => string[]> = [];
  const header = (name: string, help: string, type: string) => [
    `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
    `# TYPE ${name} ${type}`,
  ];

  return {
    counter(name, help, labelNames = []) {
      const series = seriesTable<{ values: string[]; count: number }>(labelNames);
      sections.push(() => [
        ...header(name, help, 'counter'),
        ...series.all.map((s) => `${name}${labelText(labelNames, s.values)} ${s.count}`),
      ]);
      return {
        inc(labels, by = 1) {
          series.find(labels, (values) => ({ values, count: 0 })).count += by;
        },
      };
    },

    histogram(name, help, labelNames, buckets) {
      const bounds = [...buckets].sort((a, b) => a - b);
      const series = seriesTable<{ values: string[]; counts: number[]; sum: number; count: number }>(
        labelNames,
      );
      sections.push(() => {
        const lines = header(name, help, 'histogram');
        for (const s of series.all) {
          let cumulative = 0;
          bounds.forEach((le, i) => {
            cumulative += s.counts[i] ?? 0;
            lines.push(
              `${name}_bucket${labelText(labelNames, s.values, `le="${formatNumber(le)}"`)} ${cumulative}`,
            );
          });
          lines.push(`${name}_bucket${labelText(labelNames, s.values, 'le="+Inf"')} ${s.count}`);
          lines.push(`${name}_sum${labelText(labelNames, s.values)} ${formatNumber(s.sum)}`);
          lines.push(`${name}_count${labelText(labelNames, s.values)} ${s.count}`);
        }
        return lines;
      });
      return {
        observe(value, labels) {
          const entry = series.find(labels, (values) => ({
            values,
            counts: bounds.map(() => 0),
            sum: 0,
            count: 0,
          }));
          const slot = bounds.findIndex((le) => value <= le);
          if (slot >= 0) entry.counts[slot] = (entry.counts[slot] ?? 0) + 1;
          entry.sum += value;
          entry.count += 1;
        },
      };
    },

    gauge(name, help, read) {
      sections.push(() => {
        const value = read();
        const lines = header(name, help, 'gauge');
        if (typeof value === 'number') lines.push(`${name} ${formatNumber(value)}`);
        else
          for (const [labels, v] of value) {
            const names = Object.keys(labels);
            lines.push(`${name}${labelText(names, valuesOf(names, labels))} ${formatNumber(v)}`);
          }
        return lines;
      });
    },

    counterFrom(name, help, read) {
      sections.push(() => [...header(name, help, 'counter'), `${name} ${formatNumber(read())}`]);
    },

    render() {
      return `${sections.flatMap((section) => section()).join('\n')}\n`;
    },
  };
}
