import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  conflicts: Counter<'kind'>;
  /** Counts one finished request; label children are cached, so the hot path does no label hashing. */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/** Request rate and latency per route, and how often writes lose a race (412 stale If-Match, 409 kv-store). */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const requests = new Counter({
    name: 'documentor_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'documentor_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'documentor_write_conflicts_total',
    help: 'Writes rejected because the label changed first: version_mismatch (412) or kv_conflict (409)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const counters = new Map<string, { inc(): void }>();
  const histograms = new Map<string, { observe(value: number): void }>();
  return {
    requests,
    duration,
    conflicts,
    observe(method, route, status, seconds) {
      const key = `${method} ${route}`;
      let histogram = histograms.get(key);
      if (histogram === undefined) {
        histogram = duration.labels({ method, route });
        histograms.set(key, histogram);
      }
      histogram.observe(seconds);
      const countKey = `${key} ${status}`;
      let counter = counters.get(countKey);
      if (counter === undefined) {
        counter = requests.labels({ method, route, status });
        counters.set(countKey, counter);
      }
      counter.inc();
    },
  };
}

/** Gauges read at scrape time from whatever holds the numbers (store sizes, readiness, lag). */
export function registerGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
