/** The ETA on progress events and the throttle on step events (src/jobs/progress-clock.ts). */
import { ProgressClock } from '../../src/jobs/progress-clock';

it('estimates seconds left at the pace so far, 0 at the end, null when unknown', () => {
  let now = 1_000;
  const clock = new ProgressClock(() => now);
  now += 2_000; // 2 of 10 epochs in 2 s: 1 s each, 8 left
  expect(clock.etaSeconds(2, 10)).toBe(8);
  now += 1_500; // 5 of 10 in 3.5 s: 0.7 s each, 5 left
  expect(clock.etaSeconds(5, 10)).toBe(3.5);
  expect(clock.etaSeconds(10, 10)).toBe(0);
  expect(clock.etaSeconds(12, 10)).toBe(0);
  expect(clock.etaSeconds(undefined, 10)).toBeNull();
  expect(clock.etaSeconds(3, undefined)).toBeNull();
  expect(clock.etaSeconds(0, 10)).toBeNull();
});

it('lets one step event through per 250 ms, and always the last step', () => {
  let now = 0;
  const clock = new ProgressClock(() => now);
  expect(clock.stepDue(1, 100)).toBe(true);
  now += 100;
  expect(clock.stepDue(2, 100)).toBe(false);
  now += 150;
  expect(clock.stepDue(3, 100)).toBe(true);
  now += 1;
  expect(clock.stepDue(100, 100)).toBe(true);
});
