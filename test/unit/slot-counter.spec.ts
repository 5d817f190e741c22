/** The worker's slot count (src/jobs/slot-counter.ts): regular slots first, then shared ones for idle tenants only. */
import { SlotCounter } from '../../src/jobs/slot-counter';

it('takes the regular slots first, then shared ones (idle tenants only); a release frees one slot once', () => {
  const slots = new SlotCounter(2, 1);
  expect(slots.total).toBe(3);
  const first = slots.take();
  const second = slots.take();
  const third = slots.take();
  expect([first.idleTenantsOnly, second.idleTenantsOnly, third.idleTenantsOnly]).toEqual([false, false, true]);
  first.release();
  first.release(); // a second release is a no-op
  expect(slots.taken).toBe(2);
  expect(slots.take().idleTenantsOnly).toBe(true); // two held: the regular slots are counted, not named
  third.release();
  expect(slots.take().idleTenantsOnly).toBe(true);
  expect(slots.taken).toBe(3);
});
