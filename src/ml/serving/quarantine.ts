/**
 * Model versions refused for a while after their scoring crashed the runtime they ran in
 * (SERVING_QUARANTINE_SECONDS), so one version cannot crash runtimes in a loop and its callers are
 * told at once, with the same error as the call that crashed. Used by the scoring threads
 * (scoring-threads.ts: a thread died) and inline (src/modules/serving/scoring-guard.ts: the WASM
 * runtime aborted on the main thread). Per process, like the runtimes it protects.
 *
 * An uploaded version (ONNX) is quarantined with its *file* too (the file's sha256, scoped to the tenant
 * that owns it): another version or model of that tenant with the same bytes — the same bad .onnx
 * uploaded again under a new name — is refused as well until the quarantine ends. Scoped to the
 * tenant so one tenant's crash cannot quarantine another tenant's identical, working copy (a model
 * that hangs on one tenant's crafted input may serve another tenant's inputs well); the other
 * tenant's copy is quarantined by its own first fault.
 */
import { RuntimeFaultError } from './runtime-fault-error';

/** A version's artifact, as the quarantine keys it. */
export interface QuarantineFile {
  tenantId: string;
  /** Hex sha256 of the uploaded file. */
  sha256: string;
}

interface Entry {
  until: number;
  reason: string;
  /** The version whose fault put it here. */
  versionId: string;
  sha256?: string;
}

const fileKey = (f: QuarantineFile) => `${f.tenantId}:${f.sha256}`;

export class Quarantine {
  private readonly entries = new Map<string, Entry>();
  private readonly files = new Map<string, Entry>();

  /** @param seconds how long a version is refused after its fault (SERVING_QUARANTINE_SECONDS). */
  constructor(readonly seconds: number) {}

  /**
   * Quarantines `versionId` (and its `file`, when given) for {@link seconds} from now (again, if it already was).
   * @returns the error for the call that crashed (MODEL_NOT_READY, `fault: 'RUNTIME_FAULT'`).
   */
  add(versionId: string, reason: string, file?: QuarantineFile): RuntimeFaultError {
    const entry: Entry = { until: Date.now() + this.seconds * 1000, reason: reason.slice(0, 300), versionId, sha256: file?.sha256 };
    this.entries.set(versionId, entry);
    if (file) this.files.set(fileKey(file), entry);
    return new RuntimeFaultError(versionId, entry.reason, this.seconds, false);
  }

  /** The error for a call of a version already quarantined (with the first fault's reason), as {@link add} gives. */
  errorFor(versionId: string, reason: string): RuntimeFaultError {
    return new RuntimeFaultError(versionId, this.entries.get(versionId)?.reason ?? reason.slice(0, 300), this.seconds, false);
  }

  /**
   * @returns the error {@link refuse} would throw for `versionId` (or its `file`), or undefined when
   *   neither is quarantined now.
   */
  check(versionId: string, file?: QuarantineFile): RuntimeFaultError | undefined {
    const now = Date.now();
    const own = this.live(this.entries, versionId, now);
    if (own) return new RuntimeFaultError(versionId, own.reason, Math.ceil((own.until - now) / 1000), true);
    const same = file && this.live(this.files, fileKey(file), now);
    if (same) return new RuntimeFaultError(versionId, same.reason, Math.ceil((same.until - now) / 1000), true, { versionId: same.versionId, sha256: file.sha256 });
    return undefined;
  }

  /**
   * @throws RuntimeFaultError (MODEL_NOT_READY, `fault: 'RUNTIME_FAULT'`, `retryAfterSeconds`: the
   *   time left) while `versionId`, or another version of the same tenant with the same `file`, is quarantined.
   */
  refuse(versionId: string, file?: QuarantineFile): void {
    const err = this.check(versionId, file);
    if (err) throw err;
  }

  /**
   * @returns the version whose fault quarantined `file` (for its tenant), the reason and the
   *   seconds left, or undefined when the file is not quarantined now.
   */
  fileQuarantine(file: QuarantineFile): { versionId: string; reason: string; secondsLeft: number } | undefined {
    const now = Date.now();
    const q = this.live(this.files, fileKey(file), now);
    return q && { versionId: q.versionId, reason: q.reason, secondsLeft: Math.ceil((q.until - now) / 1000) };
  }

  /** Versions refused now. */
  size(): number {
    const now = Date.now();
    for (const [key, q] of this.files) if (q.until <= now) this.files.delete(key);
    for (const [id, q] of this.entries) if (q.until <= now) this.entries.delete(id);
    return this.entries.size;
  }

  private live(map: Map<string, Entry>, key: string, now: number): Entry | undefined {
    const q = map.get(key);
    if (q && q.until <= now) map.delete(key);
    return q && q.until > now ? q : undefined;
  }
}
