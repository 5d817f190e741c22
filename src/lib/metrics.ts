/**
 * Prometheus metrics (prom-client), served at /metrics by each API process. Counters and
 * histograms are updated where things happen; gauges of shared state (queue depth, runs by status)
 * are read from PostgreSQL when scraped.
 *
 * No label names a tenant or a model unless `tenantLabels` is set (METRICS_TENANT_LABELS): a
 * scrape is then readable by whoever operates the monitoring, not only by the tenants themselves.
 */
import client from 'prom-client';

export class Metrics {
  readonly registry = new client.Registry();

  readonly requests = new client.Counter({
    name: 'maas_graphql_requests_total',
    help: 'GraphQL operations by root field and outcome (ok, error)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly latency = new client.Histogram({
    name: 'maas_graphql_request_duration_seconds',
    help: 'GraphQL operation latency by root field, seconds',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  /** Rows predicted; labelled by tenant id and model name only with `tenantLabels`. */
  private readonly predictions: client.Counter<'tenant' | 'model'>;

  readonly batchSize = new client.Histogram({
    name: 'maas_predict_batch_rows',
    help: 'Rows per network call after micro-batching',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096, 16384],
    registers: [this.registry],
  });

  readonly inlineScoringRows = new client.Histogram({
    name: 'maas_predict_inline_rows',
    help: 'Rows per predict call scored on the API thread in plain JavaScript (INLINE_SCORING_MAX_MACS), not sent to a scoring thread',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024],
    registers: [this.registry],
  });

  readonly trainingPhases = new client.Histogram({
    name: 'maas_training_phase_seconds',
    help: "Time a training run spends in each phase, from the queue to its FINAL event (src/jobs/run-phases.ts), in this process' worker",
    labelNames: ['phase'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
    registers: [this.registry],
  });

  readonly cacheHits = new client.Counter({ name: 'maas_model_cache_hits_total', help: 'Model cache hits', registers: [this.registry] });
  readonly cacheMisses = new client.Counter({ name: 'maas_model_cache_misses_total', help: 'Model cache misses (loads)', registers: [this.registry] });

  /** @param options.tenantLabels label per-tenant series with tenant ids and model names. (Default: false) */
  constructor(private readonly options: { tenantLabels?: boolean } = {}) {
    this.predictions = new client.Counter({
      name: 'maas_predictions_total',
      help: options.tenantLabels ? 'Rows predicted, by tenant and model' : 'Rows predicted (all tenants; METRICS_TENANT_LABELS=true splits by tenant and model)',
      labelNames: options.tenantLabels ? ['tenant', 'model'] : [],
      registers: [this.registry],
    });
    client.collectDefaultMetrics({ register: this.registry, prefix: 'maas_' });
  }

  /** Counts `rows` predicted for a tenant's model (labelled only with `tenantLabels`). */
  countPredictions(tenantId: string, modelName: string, rows: number): void {
    if (this.options.tenantLabels) this.predictions.inc({ tenant: tenantId, model: modelName }, rows);
    else this.predictions.inc(rows);
  }

  /** Adds a counter without labels (no tenant or model: see the module comment). */
  counter(name: string, help: string) {
    return new client.Counter({ name, help, registers: [this.registry] });
  }

  /** Adds a gauge whose value is computed at scrape time (one series per returned label set). */
  gauge(name: string, help: string, labelNames: string[], read: () => Promise<{ labels?: Record<string, string>; value: number }[]>) {
    return new client.Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await read()) labels ? this.set(labels, value) : this.set(value);
      },
    });
  }
}
