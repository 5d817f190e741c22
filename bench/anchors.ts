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
    for (const t of targets) figures[t.name] = await measure(t, c, seconds);
    const anchor = figures[targets[1]!.name]!;
    say(`Concurrency ${c}, ${seconds} s per server:`);
    say();
    say(`| server | req/s | p99 | server CPU µs/req | req/s ÷ ${targets[1]!.name} | CPU ratio (${targets[1]!.name} ÷ this) |`);
    say('|---|---|---|---|---|---|');
    for (const t of targets) say(row(t.name, figures[t.name]!, anchor));
    say();
  }
  return out;
}
