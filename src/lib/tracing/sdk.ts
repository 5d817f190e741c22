/**
 * Starts OpenTelemetry tracing for this process when it is configured (config/tracing.ts: an OTLP
 * endpoint set, OTEL_TRACES_EXPORTER not `none`), and only then loads the SDK: a Node tracer
 * provider (AsyncLocalStorage context, W3C trace context) with a batch span processor and the
 * OTLP/HTTP exporter (JSON). Unconfigured, nothing is loaded and the helpers of tracer.ts create no
 * span. Called once per process by src/infrastructure.ts; stopped last by the app or worker.
 */
import { context, diag, DiagLogLevel, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { tracesEndpoint } from '../../config/tracing';
import type { Config } from '../../config';
import type { Logger } from '../logger';
import { PLATFORM_VERSION } from '../platform-version';
import { setTracingOn, tracingOn } from './tracer';

/** Tracing as started in this process. */
export interface Tracing {
  /** Whether spans are recorded and exported. */
  on: boolean;
  /** The URL spans are sent to, when on. */
  endpoint?: string;
  /** Sends the spans ended so far (the batch processor otherwise sends every few seconds). Never rejects: a failed export is logged. */
  flush(): Promise<void>;
  /** Sends what is left and stops tracing (the helpers create no span afterwards). Never rejects. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { on: false, flush: async () => undefined, shutdown: async () => undefined };

type TracingConfig = Pick<
  Config,
  'OTEL_TRACES_EXPORTER' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SERVICE_NAME' | 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'
>;

/** The SDK's own complaints (an unreachable collector) go to our log at `warn`, cut short. */
function diagLogger(log: Logger): DiagLogger {
  const say =
    (level: 'warn' | 'debug') =>
    (message: string, ...args: unknown[]) =>
      log[level]({ otel: args.map((a) => String(a instanceof Error ? a.message : a).slice(0, 300)) }, `tracing: ${message.slice(0, 300)}`);
  return { error: say('warn'), warn: say('warn'), info: say('debug'), debug: say('debug'), verbose: say('debug') };
}

/**
 * @param defaultServiceName `service.name` unless OTEL_SERVICE_NAME is set ('maas-api', 'maas-worker').
 * @returns the process' tracing; OFF (no SDK loaded) when no endpoint is configured or the
 *   exporter is `none`.
 * @throws Error when tracing is already on in this process (started twice without shutdown).
 */
export async function startTracing(config: TracingConfig, defaultServiceName: string, log: Logger): Promise<Tracing> {
  const endpoint = tracesEndpoint(config);
  if (!endpoint) return OFF;
  if (tracingOn()) throw new Error('Tracing is already started in this process');
  // required, not import()ed: under `module: nodenext` import() would load the packages' ES module
  // builds beside the CommonJS @opentelemetry/api the rest of the code holds.
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const base = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const semconv = require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');
  const ratio = new base.TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG);
  const sampler = {
    always_on: () => new base.AlwaysOnSampler(),
    always_off: () => new base.AlwaysOffSampler(),
    traceidratio: () => ratio,
    parentbased_always_on: () => new base.ParentBasedSampler({ root: new base.AlwaysOnSampler() }),
    parentbased_always_off: () => new base.ParentBasedSampler({ root: new base.AlwaysOffSampler() }),
    parentbased_traceidratio: () => new base.ParentBasedSampler({ root: ratio }),
  }[config.OTEL_TRACES_SAMPLER]();
  diag.setLogger(diagLogger(log), DiagLogLevel.WARN);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [semconv.ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME ?? defaultServiceName,
      [semconv.ATTR_SERVICE_VERSION]: PLATFORM_VERSION,
    }),
    sampler,
    spanProcessors: [new base.BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))],
  });
  provider.register();
  setTracingOn(true);
  log.info({ endpoint, sampler: config.OTEL_TRACES_SAMPLER }, 'tracing: spans exported over OTLP/HTTP');
  let stopped = false;
  // An unreachable collector loses spans, never a request or the process: a failed export is logged.
  const exported = (what: string) => (err: unknown) => log.warn({ endpoint, err: String((err as Error)?.message ?? err).slice(0, 300) }, `tracing: ${what} failed; spans lost`);
  return {
    on: true,
    endpoint,
    flush: () => provider.forceFlush().catch(exported('flushing spans')),
    async shutdown() {
      if (stopped) return;
      stopped = true;
      setTracingOn(false);
      try {
        await provider.shutdown().catch(exported('sending the last spans'));
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
        diag.disable();
      }
    },
  };
}
