/**
 * The trace of one `training-run` ticket on a worker (src/lib/tracing/): a `training-run` CONSUMER
 * span, the root of its own trace, around the claim and everything after it. Once a run is claimed
 * the span names it and links to the request that started it (the run's stored traceparent; a link,
 * not a parent, since the run may wait in the queue for long and be claimed by any worker). Epochs
 * are events on it (the first MAX_EPOCH_EVENTS; the count is an attribute); the training thread's
 * phases (prepare, fit, evaluate) become child spans from the times it reports
 * (`TrainedModel.phases`); the version write is a live child span. Tracing off: every method is a
 * no-op and `run` calls its function directly.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import type { EpochResult } from '../ml/families/model-family';
import type { TrainPhases } from '../ml/pipeline';
import { inSpan, linkTo, recordFailure, ROOT_CONTEXT, startSpan, withSpan, type Span } from '../lib/tracing/tracer';

/** Epoch events recorded per run; later epochs are counted only (a run may have thousands). */
export const MAX_EPOCH_EVENTS = 100;

/** What the training job tells its trace. */
export interface RunTrace {
  /** The ticket claimed this run (null: none to claim). */
  claimed(run: { id: string; tenantId: string; attempts: number; traceParent?: string | null; modelName: string } | null): void;
  /** An epoch ended (recorded as an event while under MAX_EPOCH_EVENTS). */
  epoch(e: Pick<EpochResult, 'epoch' | 'loss'>): void;
  /** The training thread's phases, as child spans. */
  phases(p: TrainPhases | undefined): void;
  /** Runs `fn` in a child span named `name` (the version write). */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

const NONE: RunTrace = { claimed: () => undefined, epoch: () => undefined, phases: () => undefined, step: (_name, fn) => fn() };

/**
 * Runs a ticket's handling inside its `training-run` span (ended when `fn` settles).
 * @param ticketRunId the run the ticket was queued for (the claim may take another).
 */
export function traceTicket<T>(ticketRunId: string, fn: (trace: RunTrace) => Promise<T>): Promise<T> {
  const span = startSpan(
    'training-run',
    SpanKind.CONSUMER,
    { 'messaging.operation.type': 'process', 'messaging.destination.name': 'training-run', 'maas.ticket.run_id': ticketRunId },
    ROOT_CONTEXT,
  );
  if (!span) return fn(NONE);
  return withSpan(span, () => fn(runTrace(span))).then(
    (value) => {
      span.end();
      return value;
    },
    (err: unknown) => {
      recordFailure(span, err);
      span.end();
      throw err;
    },
  );
}

function runTrace(span: Span): RunTrace {
  let epochs = 0;
  return {
    claimed(run) {
      span.setAttribute('maas.claimed', run !== null);
      if (!run) return;
      span.setAttributes({ 'maas.run.id': run.id, 'maas.tenant.id': run.tenantId, 'maas.run.attempt': run.attempts, 'maas.model.name': run.modelName });
      const link = linkTo(run.traceParent);
      if (link) span.addLink(link);
    },
    epoch(e) {
      epochs++;
      span.setAttribute('maas.epochs', epochs);
      if (epochs <= MAX_EPOCH_EVENTS) span.addEvent('epoch', { 'maas.epoch': e.epoch, 'maas.loss': e.loss });
    },
    phases(p) {
      if (!p) return;
      for (const [name, [start, end]] of Object.entries(p))
        startSpan(`training.${name}`, SpanKind.INTERNAL, undefined, trace.setSpan(ROOT_CONTEXT, span), undefined, start)?.end(end);
    },
    step: (name, fn) => withSpan(span, () => inSpan(name, undefined, fn)),
  };
}
