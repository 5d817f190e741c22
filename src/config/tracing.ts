/**
 * Environment variables of OpenTelemetry tracing (src/lib/tracing/), the standard OTEL_* names of
 * the OpenTelemetry specification ("Environment Variable Specification", General SDK and OTLP
 * exporter sections). Part of the configuration schema (src/config.ts spreads it in); only parses
 * the environment. Tracing is on when an OTLP endpoint is set and OTEL_TRACES_EXPORTER is not `none`.
 */
import { z } from 'zod';

/** The samplers of the specification's OTEL_TRACES_SAMPLER. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

/** tracingEnv: zod parsers keyed by environment variable, each documented with its default. */
export const tracingEnv = {
  /** `otlp` exports spans over OTLP/HTTP (JSON); `none` turns tracing off even with an endpoint set. (Default: otlp) */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).default('otlp'),
  /** Base URL of an OTLP/HTTP receiver (a collector, Jaeger): spans go to `<url>/v1/traces`. (Default: unset: tracing off) */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Full URL spans are sent to; wins over OTEL_EXPORTER_OTLP_ENDPOINT. (Default: unset) */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** `service.name` of this process' spans. (Default: maas-api, or maas-worker for the worker process) */
  OTEL_SERVICE_NAME: z.string().min(1).max(200).optional(),
  /** Which traces are kept (the specification's names). (Default: parentbased_always_on) */
  OTEL_TRACES_SAMPLER: z.enum(TRACE_SAMPLERS).default('parentbased_always_on'),
  /** The ratio of the `traceidratio` samplers, in [0, 1]. (Default: 1) */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
};

/** Where spans are exported, or undefined when tracing is off. */
export function tracesEndpoint(config: {
  OTEL_TRACES_EXPORTER: 'otlp' | 'none';
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
}): string | undefined {
  if (config.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}
