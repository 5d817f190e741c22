/**
 * Spans on the hot paths, through the OpenTelemetry API only (`@opentelemetry/api`; the SDK is
 * loaded by sdk.ts when tracing is configured). Every helper here first reads one module flag:
 * with tracing off it calls the wrapped function directly, creating no span, no attribute object
 * and no context, so an unconfigured server pays one branch per helper call.
 *
 * Attributes never carry request data: no GraphQL variables or documents, rows, tensors, API keys
 * or tokens. Tenant ids, model names, row counts and operation names are fine (they identify, they
 * do not authorise). Our own attribute names start with `maas.`.
 */
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';

export { SpanKind, type Attributes, type Context, type Span };

/** The name our spans' instrumentation scope carries. */
export const TRACER_NAME = 'maas';

let on = false;
let current: Tracer | undefined;

/** Whether tracing is configured in this process (set by sdk.ts). Read it before building attributes. */
export function tracingOn(): boolean {
  return on;
}

/** @internal sdk.ts only: tracing started or stopped. */
export function setTracingOn(value: boolean): void {
  on = value;
  current = value ? trace.getTracer(TRACER_NAME) : undefined;
}

const tracer = () => current ?? trace.getTracer(TRACER_NAME);

/** Marks a span failed by `err` (its exception event and ERROR status), then leaves ending it to the caller. */
export function recordFailure(span: Span, err: unknown): void {
  if (err instanceof Error) {
    // AppError codes are the useful part; the message is bounded already (errors.ts cuts it).
    const code = (err as { code?: unknown }).code;
    span.recordException({ name: err.name, message: err.message.slice(0, 500), ...(typeof code === 'string' ? { code } : {}) });
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : err.name });
  } else span.setStatus({ code: SpanStatusCode.ERROR, message: String(err).slice(0, 200) });
}

/** Ends `span` when `out` settles (ERROR status when it rejects), and returns `out` unchanged. */
function endWith<T>(span: Span, out: T): T {
  if (out instanceof Promise) {
    out.then(
      () => span.end(),
      (err: unknown) => {
        recordFailure(span, err);
        span.end();
      },
    );
    return out;
  }
  span.end();
  return out;
}

/**
 * Runs `fn` inside a new span, a child of the active one, ended when `fn` returns or its promise
 * settles (an error or rejection marks it failed and passes through unchanged). Tracing off: `fn()`.
 * @param attributes a function, so that nothing is built when tracing is off.
 */
export function inSpan<T>(name: string, attributes: (() => Attributes) | undefined, fn: (span: Span | undefined) => T, kind: SpanKind = SpanKind.INTERNAL): T {
  if (!on) return fn(undefined);
  return tracer().startActiveSpan(name, { kind, attributes: attributes?.() }, (span) => {
    try {
      return endWith(span, fn(span));
    } catch (err) {
      recordFailure(span, err);
      span.end();
      throw err;
    }
  });
}

/**
 * Starts a span without making it active (a request's span, activated later around its work by
 * {@link withSpan}). Tracing off: undefined.
 * @param parent its parent context (Default: the active one); `ROOT_CONTEXT` for a new trace.
 * @param startTime when it started, ms since the epoch (Default: now), for work timed elsewhere (a thread).
 */
export function startSpan(name: string, kind: SpanKind, attributes?: Attributes, parent?: Context, links?: Link[], startTime?: number): Span | undefined {
  if (!on) return undefined;
  return tracer().startSpan(name, { kind, attributes, links, startTime }, parent ?? context.active());
}

/** Runs `fn` with `span` active (its children and the code `fn` awaits see it). No span: `fn()`. */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  if (!span) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** The active context when tracing is on (to parent work that runs later, e.g. a micro-batch), else undefined. */
export function activeContext(): Context | undefined {
  return on ? context.active() : undefined;
}

/**
 * Runs `fn` in a new span whose parent is `parent` and that links `others` (the contexts of other
 * requests served by the same work, e.g. a micro-batch's other callers), ended when `fn` settles.
 * Tracing off, or no parent: `fn()`.
 */
export function inSpanOf<T>(name: string, parent: Context | undefined, others: (Context | undefined)[], attributes: Attributes, fn: () => T): T {
  if (!on || !parent) return fn();
  const links: Link[] = [];
  for (const c of others) {
    const sc = c && trace.getSpanContext(c);
    if (sc) links.push({ context: sc });
  }
  const span = tracer().startSpan(name, { attributes, links }, parent);
  return context.with(trace.setSpan(parent, span), () => {
    try {
      return endWith(span, fn());
    } catch (err) {
      recordFailure(span, err);
      span.end();
      throw err;
    }
  });
}

/** The active span when tracing is on. */
export function activeSpan(): Span | undefined {
  return on ? trace.getActiveSpan() : undefined;
}

/** Names the active span's attributes after the fact (e.g. a cache hit known only inside). No-op when off. */
export function annotate(attributes: Attributes): void {
  if (on) trace.getActiveSpan()?.setAttributes(attributes);
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The active span as a W3C `traceparent` header value (`00-<trace id>-<span id>-<flags>`), to store
 * with work handed to another process (a queued training run). Undefined when off or no span is active.
 */
export function currentTraceparent(): string | undefined {
  if (!on) return undefined;
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00'}`;
}

/** A link to the span a stored `traceparent` names (remote), or undefined when absent or malformed. */
export function linkTo(traceparent: string | null | undefined): Link | undefined {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return undefined;
  const sc: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true };
  return trace.isSpanContextValid(sc) ? { context: sc, attributes: { 'maas.link': 'started-by' } } : undefined;
}

export { ROOT_CONTEXT };
