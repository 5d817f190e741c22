/**
 * A worker's training slots (issue 10, review F2: one tenant's single long run must not keep
 * another tenant's run from starting). `regular` slots take any tenant's run the fair claim picks;
 * past them, `shared` slots take only runs of tenants with nothing training anywhere in the
 * cluster. Runs in shared slots time-share the cores with the others (the operating system
 * schedules the threads), so a tenant that arrives while every regular slot is held by other
 * tenants' long runs starts at once, at a fair share of the CPU, instead of waiting for a run to end.
 */
export class SlotCounter {
  private busy = 0;

  /**
   * @param regular slots for any run (TRAINING_SLOTS).
   * @param shared further slots for tenants with nothing training (TRAINING_SHARED_SLOTS).
   */
  constructor(
    readonly regular: number,
    readonly shared: number,
  ) {}

  /** Slots in all: the queue runs this many claim loops. */
  get total(): number {
    return this.regular + this.shared;
  }

  /** Slots taken now. */
  get taken(): number {
    return this.busy;
  }

  /**
   * Takes a slot before a claim, synchronously, so two claims at once count each other.
   * @returns `idleTenantsOnly`: true when every regular slot is taken, so the claim may only pick a
   *   run of a tenant with nothing training; and `release`, to call once when the slot is free
   *   again (nothing claimed, or the run ended). Calling it again does nothing.
   */
  take(): { idleTenantsOnly: boolean; release: () => void } {
    const idleTenantsOnly = this.busy >= this.regular;
    this.busy++;
    let released = false;
    return {
      idleTenantsOnly,
      release: () => {
        if (released) return;
        released = true;
        this.busy--;
      },
    };
  }
}
