/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with
 * labels, rendered by GET /metrics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(): string[];
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}
export interface Gauge {
  set(labels: Labels, value: number): void;
}
export interface Histogram {
  observe(labels: Labels, value: number): void;
}

export interface MetricsRegistry {
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string): Gauge;
  histogram(name: string, help: string, buckets: number[]): Histogram;
  render(): string;
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (extra) pairs.push(extra);
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>();
  const add = <F extends Family>(family: F): F => {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(family.name)) throw new Error(`invalid metric name ${family.name}`);
    const existing = families.get(family.name);
    if (existing) return existing as F;
    families.set(family.name, family);
    return family;
  };

  return {
    counter(name, help) {
      const values = new Map<string, { labels: Labels; value: number }>();
      const family = add({
        name,
        help,
        type: 'counter' as const,
        render: () => [...values.values()].map((v) => `${name}${labelText(v.labels)} ${num(v.value)}`),
        inc(labels: Labels = {}, by = 1) {
          const k = keyOf(labels);
          const entry = values.get(k) ?? { labels, value: 0 };
          entry.value += by;
          values.set(k, entry);
        },
      });
      return family;
    },
    gauge(name, help) {
      const values = new Map<string, { labels: Labels; value: number }>();
      return add({
        name,
        help,
        type: 'gauge' as const,
        render: () => [...values.values()].map((v) => `${name}${labelText(v.labels)} ${num(v.value)}`),
        set(labels: Labels, value: number) {
          values.set(keyOf(labels), { labels, value });
        },
      });
    },
    histogram(name, help, buckets) {
      const sorted = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
      return add({
        name,
        help,
        type: 'histogram' as const,
        render: () =>
          [...series.values()].flatMap((s) => [
            ...sorted.map((b, i) => `${name}_bucket${labelText(s.labels, ['le', num(b)])} ${s.counts[i] ?? 0}`),
            `${name}_bucket${labelText(s.labels, ['le', '+Inf'])} ${s.count}`,
            `${name}_sum${labelText(s.labels)} ${num(s.sum)}`,
            `${name}_count${labelText(s.labels)} ${s.count}`,
          ]),
        observe(labels: Labels, value: number) {
          const k = keyOf(labels);
          const s = series.get(k) ?? { labels, counts: sorted.map(() => 0), sum: 0, count: 0 };
          sorted.forEach((b, i) => {
            if (value <= b) s.counts[i] = (s.counts[i] ?? 0) + 1;
          });
          s.sum += value;
          s.count += 1;
          series.set(k, s);
        },
      });
    },
    render() {
      const out: string[] = [];
      for (const f of families.values()) {
        out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`, ...f.render());
      }
      return `${out.join('\n')}\n`;
    },
  };
}

/** GET /metrics handler; `collect` refreshes gauges just before rendering. */
export function metricsHandler(registry: MetricsRegistry, collect?: () => Promise<void>) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    await collect?.().catch(() => undefined);
    const body = registry.render();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}

export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180];
