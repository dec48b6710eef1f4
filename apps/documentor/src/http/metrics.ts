import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The metrics of one route, resolved once when the route is registered; nothing is looked up per request. */
export interface RouteMetrics {
  /** Counts one finished request and its latency. */
  observe(method: string, status: number, seconds: number): void;
}

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  conflicts: Counter<'kind'>;
  /** The metrics of one route (`unmatched` for requests no route answered). */
  forRoute(route: string): RouteMetrics;
}

type Observer = { observe(value: number): void };

/** Request rate and latency per route, and how often writes lose a race (412 stale If-Match, 409 kv-store). */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  // Per-request counts are plain numbers, added to the counters when Prometheus scrapes: prom-client hashes
  // the label set on every inc(), even on a child, which showed up in the GET /labels/:name profile.
  const pending = new Map<string, { labels: Record<'method' | 'route' | 'status', string>; n: number }>();
  let conflictsPending = { version_mismatch: 0, kv_conflict: 0 };
  const requests = new Counter({
    name: 'documentor_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
    collect() {
      for (const entry of pending.values()) {
        if (entry.n > 0) this.inc(entry.labels, entry.n);
        entry.n = 0;
      }
    },
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
    collect() {
      for (const [kind, n] of Object.entries(conflictsPending)) if (n > 0) this.inc({ kind }, n);
      conflictsPending = { version_mismatch: 0, kv_conflict: 0 };
    },
  });
  const routes = new Map<string, RouteMetrics>();
  const forRoute = (route: string): RouteMetrics => {
    const known = routes.get(route);
    if (known !== undefined) return known;
    // One method per route in practice; the small maps cover HEAD and multi-method routes.
    const histograms = new Map<string, Observer>();
    const counts = new Map<string, { n: number }>();
    const metrics: RouteMetrics = {
      observe(method, status, seconds) {
        let histogram = histograms.get(method);
        if (histogram === undefined) {
          histogram = duration.labels({ method, route });
          histograms.set(method, histogram);
        }
        histogram.observe(seconds);
        const key = method + status;
        let count = counts.get(key);
        if (count === undefined) {
          const entry = { labels: { method, route, status: String(status) }, n: 0 };
          pending.set(`${method} ${route} ${status}`, entry);
          counts.set(key, entry);
          count = entry;
        }
        count.n += 1;
        if (status === 412) conflictsPending.version_mismatch += 1;
        else if (status === 409) conflictsPending.kv_conflict += 1;
      },
    };
    routes.set(route, metrics);
    return metrics;
  };
  return { requests, duration, conflicts, forRoute };
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
