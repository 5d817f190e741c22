/**
 * `maas sweep start|list|watch|cancel` as a user runs it (a child process) against the real API:
 * a grid of decision trees started from a JSON file and watched to the end (the live leaderboard
 * from the sweepLeaderboard subscription, one table per board when stdout is not a terminal, one
 * JSON line per board with --json), the list paged, a cancelled sweep, and the errors: the API's
 * code on stderr and exit status 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { runCli, type CliResult } from './support/cli';
import { SLOW_NETWORK, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';

let app: App;
let t: TenantBundle;
let dir: string;
let env: Record<string, string>;
let datasetId: string;

const maas = (...args: string[]): Promise<CliResult> => runCli(args, env);

/** A sweep file: a grid over the trees' depth (instant to train). */
function sweepFile(name: string, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      targetColumn: 'Outcome',
      modelName: name,
      baseSpec: { model: 'DECISION_TREE', tree: { maxDepth: 2 }, seed: 42 },
      strategy: 'GRID',
      space: [{ path: 'tree.maxDepth', values: [2, 3, 4] }],
      objective: { metric: 'ACCURACY', direction: 'MAXIMIZE' },
      budget: { maxTrials: 3, maxConcurrent: 2 },
      earlyStop: false,
      ...extra,
    }),
  );
  return file;
}

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'cli-sweep');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-cli-sweep-'));
  env = { XDG_CONFIG_HOME: path.join(dir, 'config'), MAAS_URL: t.url, MAAS_API_KEY: t.apiKey };
}, 60_000);
afterAll(async () => {
  await app.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('starts a grid from a file and watches its leaderboard to the end; the best version is the top trial’s', async () => {
  const r = await maas('sweep', 'start', '--file', sweepFile('grid'), '--dataset', datasetId, '--watch');
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const id = /^Started sweep (\S+) \(GRID, 3 trials\)$/m.exec(r.stdout)![1];
  // One table per board: the status line, then RANK … PARAMS, best first.
  expect(r.stdout).toMatch(new RegExp(`^Sweep ${id} RUNNING  \\(maximize accuracy\\)$`, 'm'));
  const boards = r.stdout.split(`Sweep ${id} `).slice(1, -1); // the last piece is the closing line
  const last = boards[boards.length - 1];
  expect(last.split('\n')[0]).toBe('SUCCEEDED  (maximize accuracy)');
  expect(last.split('\n')[1]).toMatch(/^RANK\s+TRIAL\s+RUNG\s+STATUS\s+OBJECTIVE\s+EPOCHS\s+PARAMS$/);
  const rows = last
    .split('\n')
    .slice(2, 5)
    .map((l) => l.split(/\s{2,}/));
  expect(rows.map((c) => c[0])).toEqual(['1', '2', '3']);
  expect(rows.every((c) => c[3] === 'SUCCEEDED')).toBe(true);

  const { sweep } = await gqlOk(t, 'query($id: ID!) { sweep(id: $id) { bestVersion { version } leaderboard { rank objective params } } }', { id });
  const top = sweep.leaderboard[0];
  expect(rows[0][4]).toBe(String(Number(top.objective.toFixed(4))));
  expect(rows[0][6]).toBe(`tree.maxDepth=${top.params['tree.maxDepth']}`);
  expect(r.stdout.trimEnd().split('\n').pop()).toMatch(new RegExp(`^Sweep ${id} SUCCEEDED: best version ${sweep.bestVersion.version} \\(`));
}, 120_000);

it('lists sweeps paged, and watch --json replays an ended sweep as one JSON board', async () => {
  const first = await maas('sweep', 'list', '--first', '1', '--json');
  expect(first.code).toBe(0);
  const page = JSON.parse(first.stdout);
  expect(page).toMatchObject({ totalCount: 1, nextCursor: null });
  expect(page.items[0]).toMatchObject({ status: 'SUCCEEDED', strategy: 'GRID', modelName: 'grid', maxTrials: 3, objective: { metric: 'ACCURACY', direction: 'MAXIMIZE' } });
  const watched = await maas('sweep', 'watch', page.items[0].id, '--json');
  expect(watched.code).toBe(0);
  const lines = watched.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.at(-1).sweep.status).toBe('SUCCEEDED');
  expect(lines.at(-1).trials.map((x: { rank: number }) => x.rank)).toEqual([1, 2, 3]);
}, 60_000);

it('cancels a running sweep; watching it then ends with CANCELLED and exit 1; cancelling again is INVALID_STATE', async () => {
  const slow = sweepFile('slow', {
    baseSpec: { ...SLOW_NETWORK, epochs: 200 },
    space: [{ path: 'optimizer.learningRate', values: [0.001, 0.01] }],
    budget: { maxTrials: 2, maxConcurrent: 1 },
  });
  const started = await maas('sweep', 'start', '--file', slow, '--dataset', datasetId, '--json');
  expect(started.code).toBe(0);
  const { id } = JSON.parse(started.stdout);
  const cancelled = await maas('sweep', 'cancel', id);
  expect({ code: cancelled.code, stdout: cancelled.stdout }).toEqual({ code: 0, stdout: `Sweep ${id} is CANCELLED\n` });
  const watched = await maas('sweep', 'watch', id);
  expect(watched.code).toBe(1);
  expect(watched.stderr).toBe(`error CANCELLED: Sweep ${id} was cancelled\n`);
  const again = await maas('sweep', 'cancel', id);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^error INVALID_STATE: Sweep '.+' has already finished with status CANCELLED\n$/);
}, 60_000);

it('prints the API’s code and exits 1: an unknown sweep, a refused input, a file that is not JSON', async () => {
  const missing = await maas('sweep', 'watch', '00000000-0000-0000-0000-000000000000');
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^error NOT_FOUND: /);
  const refused = await maas('sweep', 'start', '--file', sweepFile('bad', { budget: { maxTrials: 0 } }), '--dataset', datasetId);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^error BAD_USER_INPUT: .*maxTrials/);
  fs.writeFileSync(path.join(dir, 'broken.json'), '{ nope');
  const broken = await maas('sweep', 'start', '--file', path.join(dir, 'broken.json'));
  expect(broken.code).toBe(1);
  expect(broken.stderr).toMatch(/^error BAD_FILE: The sweep file '.*broken.json' is not JSON/);
}, 60_000);
