/**
 * Shared state of one worker process: once draining (SIGTERM), running jobs stop after their
 * current epoch and hand their run back to the queue, and no new job is claimed.
 */
export class WorkerState {
  private drainingSince?: number;
  private readonly listeners = new Set<() => void>();

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  drain(): void {
    if (this.drainingSince !== undefined) return;
    this.drainingSince = Date.now();
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` when draining starts (at once if it has). @returns the unsubscribe function. */
  onDrain(listener: () => void): () => void {
    if (this.draining) listener();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
