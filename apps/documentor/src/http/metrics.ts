import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  conflicts: Counter<'kind'>;
}

/** Request rate and latency per route, and how often writes lose a race (412 stale If-Match, 409 kv-store). */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  return {
    requests: new Counter({
      name: 'documentor_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'documentor_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    conflicts: new Counter({
      name: 'documentor_write_conflicts_total',
      help: 'Writes rejected because the label changed first: version_mismatch (412) or kv_conflict (409)',
      labelNames: ['kind'],
      registers: [registry],
    }),
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
