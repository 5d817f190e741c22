import type { App } from '../../src/app';

/** The predict query the model specs share (rows in, every prediction field out). */
export const PREDICT = `query($model: String!, $rows: [JSONObject!]!) {
  predict(model: $model, rows: $rows) { version predictions { label probability probabilities value } } }`;

/**
 * Runs `big` (one tenant's large scoring call) and, once it is on the scoring thread, `small`
 * (another tenant's), and tells the order they were answered in and what was on the thread when
 * `small` was answered: a sliced `big` still has a slice running or waiting then.
 * @throws Error when `big` never reaches the scoring thread.
 */
export async function interleaved<T>(
  app: App,
  big: () => Promise<T>,
  small: () => Promise<unknown>,
): Promise<{ order: string[]; threadWhenSmallAnswered: { running: number; waiting: number }; bigAnswer: T }> {
  const order: string[] = [];
  const thread = () => app.threads.scoring!.queueStats().thread;
  const bigDone = big().then((r) => (order.push('big'), r));
  for (let i = 0; i < 2000 && thread().running === 0; i++) await new Promise((r) => setTimeout(r, 2));
  if (thread().running === 0) throw new Error('the large call never reached the scoring thread');
  let threadWhenSmallAnswered = { running: 0, waiting: 0 };
  const smallDone = small().then(() => {
    threadWhenSmallAnswered = { ...thread() };
    order.push('small');
  });
  const [bigAnswer] = await Promise.all([bigDone, smallDone]);
  return { order, threadWhenSmallAnswered, bigAnswer };
}
