/** The error a call gets when its model version crashed its scoring runtime (see scoring-threads.ts). */
import { AppError } from '../../lib/errors';

/**
 * MODEL_NOT_READY with `extensions.fault: 'RUNTIME_FAULT'`, the version id, the reason and
 * `retryAfterSeconds` (the quarantine left). MODEL_NOT_READY because the caller's input was valid:
 * retrying after the quarantine is the right move.
 */
export class RuntimeFaultError extends AppError {
  /**
   * @param sameFileAs set when the version is refused because another version with the same file
   *   (`sha256`) crashed (src/ml/serving/quarantine.ts): `extensions.quarantinedVersionId` and `sha256` name it.
   */
  constructor(
    readonly versionId: string,
    readonly reason: string,
    retryAfterSeconds: number,
    quarantined: boolean,
    sameFileAs?: { versionId: string; sha256: string },
  ) {
    super(
      'MODEL_NOT_READY',
      sameFileAs
        ? `Model version '${versionId}' has the same file (sha256 ${sameFileAs.sha256.slice(0, 16)}...) as version '${sameFileAs.versionId}', which crashed its scoring runtime (${reason.slice(0, 200)}); it is quarantined for ${retryAfterSeconds} more seconds`
        : quarantined
          ? `Model version '${versionId}' crashed its scoring runtime (${reason.slice(0, 200)}); it is quarantined for ${retryAfterSeconds} more seconds`
          : `Model version '${versionId}' crashed its scoring runtime (${reason.slice(0, 200)}); it is quarantined for ${retryAfterSeconds} seconds`,
      {
        modelVersionId: versionId,
        fault: 'RUNTIME_FAULT',
        reason,
        retryAfterSeconds,
        ...(sameFileAs ? { quarantinedVersionId: sameFileAs.versionId, sha256: sameFileAs.sha256 } : {}),
      },
    );
    this.name = 'RuntimeFaultError';
  }
}
