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

/** Creates an empty registry. */
export function createMetricsRegistry(): MetricsRegistry {
  const sections: Array<() => string[]> = [];
  const header = (name: string, help: string, type: string) => [
    `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
    `# TYPE ${name} ${type}`,
  ];

  return {
    counter(name, help, labelNames = []) {
      const series = new Map<string, { values: string[]; count: number }>();
      sections.push(() => [
        ...header(name, help, 'counter'),
        ...[...series.values()].map((s) => `${name}${labelText(labelNames, s.values)} ${s.count}`),
      ]);
      return {
        inc(labels, by = 1) {
          const values = valuesOf(labelNames, labels);
          const key = JSON.stringify(values);
          const entry = series.get(key);
          if (entry) entry.count += by;
          else series.set(key, { values, count: by });
        },
      };
    },

    histogram(name, help, labelNames, buckets) {
      const bounds = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, { values: string[]; counts: number[]; sum: number; count: number }>();
      sections.push(() => {
        const lines = header(name, help, 'histogram');
        for (const s of series.values()) {
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
          const values = valuesOf(labelNames, labels);
          const key = JSON.stringify(values);
          let entry = series.get(key);
          if (!entry) {
            entry = { values, counts: bounds.map(() => 0), sum: 0, count: 0 };
            series.set(key, entry);
          }
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
