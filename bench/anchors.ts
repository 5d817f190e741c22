/**
 * Single-row GraphQL serving against its anchors, side by side in one run: bare Node HTTP, a bare
 * Apollo Server 5 no-op (bench/bare-apollo.ts), our no-op resolver and our predict — requests/s,
 * p99 and the server's CPU time per request (read from /proc, so it counts every thread of the
 * server process). CPU per request is the steadiest figure on a shared machine.
 */
import fs from 'node:fs';
import { load, type LoadResult } from './load';

/** One server under load: what to send and to which process. */
export interface Target {
  name: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  pid: number;
}

/** A load run with the server's CPU µs per response. */
export interface Measured extends LoadResult {
  cpuUsPerReq: number;
  /** The same for the server's main thread alone (the one that bounds a Node server's requests/s). */
  mainCpuUsPerReq: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system, all threads) the process `pid` has used, in µs; with `mainThread`, its main thread's alone. */
export function cpuMicros(pid: number, mainThread = false): number {
  const stat = fs.readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

/** Loads `t` at `connections` for `seconds`, measuring its server's CPU. */
export async function measure(t: Target, connections: number, seconds: number): Promise<Measured> {
  const [before, mainBefore] = [cpuMicros(t.pid), cpuMicros(t.pid, true)];
  const r = await load(t.url, t.body, t.headers, connections, seconds);
  const [used, mainUsed] = [cpuMicros(t.pid) - before, cpuMicros(t.pid, true) - mainBefore];
  return { ...r, cpuUsPerReq: r.total ? used / r.total : NaN, mainCpuUsPerReq: r.total ? mainUsed / r.total : NaN };
}

/** Rounds of one server as one measurement: requests, errors and CPU summed; p50 and p99 the rounds' medians. */
function combine(rounds: Measured[]): Measured {
  if (rounds.length === 1) return rounds[0]!;
  const sum = (f: (m: Measured) => number) => rounds.reduce((n, m) => n + f(m), 0);
  const median = (f: (m: Measured) => number) => rounds.map(f).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  const total = sum((m) => m.total);
  return {
    rps: sum((m) => m.rps) / rounds.length,
    p50ms: median((m) => m.p50ms),
    p99ms: median((m) => m.p99ms),
    errors: sum((m) => m.errors),
    non2xx: sum((m) => m.non2xx),
    total,
    cpuUsPerReq: sum((m) => m.cpuUsPerReq * m.total) / total,
    mainCpuUsPerReq: sum((m) => m.mainCpuUsPerReq * m.total) / total,
  };
}

const row = (name: string, m: Measured, anchor: Measured) =>
  `| ${name} | ${Math.round(m.rps)} | ${m.p99ms} ms | ${Math.round(m.cpuUsPerReq)} | **${(m.rps / anchor.rps).toFixed(2)}×** | ${(anchor.cpuUsPerReq / m.cpuUsPerReq).toFixed(2)}× |${m.errors || m.non2xx ? ` ${m.errors} errors, ${m.non2xx} non-2xx` : ''}`;

/**
 * Measures every target at each concurrency (the anchor — the bare Apollo no-op — is `targets[1]`)
 * and prints one table per concurrency through `say`.
 * @returns the figures by concurrency and target name.
 */
export async function anchorTables(targets: Target[], concurrencies: number[], seconds: number, say: (s?: string) => void): Promise<Record<number, Record<string, Measured>>> {
  const out: Record<number, Record<string, Measured>> = {};
  for (const c of concurrencies) {
    console.error(`[bench] anchors at concurrency ${c}: ${targets.map((t) => t.name).join(', ')}`);
    const figures: Record<string, Measured> = (out[c] = {});
    for (const t of targets) await measure(t, c, 1); // warm-up (JIT, model load)
    // Rounds taken in turn, so every server sees the machine's drift alike (a server measured last
    // in one long stretch looked up to 30 % faster or slower than in the next run).
    const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
    const taken: Record<string, Measured[]> = {};
    for (let r = 0; r < rounds; r++) for (const t of targets) (taken[t.name] ??= []).push(await measure(t, c, seconds / rounds));
    for (const t of targets) figures[t.name] = combine(taken[t.name]!);
    const anchor = figures[targets[1]!.name]!;
    say(`Concurrency ${c}, ${seconds} s per server${rounds > 1 ? ` in ${rounds} rounds taken in turn (p99: the rounds' median)` : ''}:`);
    say();
    say(`| server | req/s | p99 | server CPU µs/req | req/s ÷ ${targets[1]!.name} | CPU ratio (${targets[1]!.name} ÷ this) |`);
    say('|---|---|---|---|---|---|');
    for (const t of targets) say(row(t.name, figures[t.name]!, anchor));
    say();
  }
  return out;
}
