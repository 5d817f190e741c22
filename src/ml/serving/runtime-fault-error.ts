/** The error a call gets when its model version crashed its scoring runtime (see scoring-threads.ts). */
import { AppError } from '../../lib/errors';

/**
 * MODEL_NOT_READY with `extensions.fault: 'RUNTIME_FAULT'`, the version id, the reason and
 * `retryAfterSeconds` (the quarantine left). MODEL_NOT_READY because the caller's input was valid:
 * retrying after the quarantine is the right move.
 */
export class RuntimeFaultError extends AppError {
  constructor(
    readonly versionId: string,
    readonly reason: string,
    retryAfterSeconds: number,
    quarantined: boolean,
  ) {
    super(
      'MODEL_NOT_READY',
      quarantined
        ? `Model version '${versionId}' crashed its scoring runtime (${reason.slice(0, 200)}); it is quarantined for ${retryAfterSeconds} more seconds`
        : `Model version '${versionId}' crashed its scoring runtime (${reason.slice(0, 200)}); it is quarantined for ${retryAfterSeconds} seconds`,
      { modelVersionId: versionId, fault: 'RUNTIME_FAULT', reason, retryAfterSeconds },
    );
    this.name = 'RuntimeFaultError';
  }
}
