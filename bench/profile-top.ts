/**
 * Summarises a V8 `.cpuprofile` (node --cpu-prof): self time by function and by package, as shares
 * of the busy (non-idle) time. `node dist/bench/profile-top.js FILE [N] [LAST_SECONDS]`: the top N,
 * counting only the samples of the profile's last LAST_SECONDS (the load, not the start-up).
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@scope/pkg` or `node_modules/pkg`, else `ours:<dir>` or `node:<internal>`. */
function packageOf(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/dist\/(src\/[^/]+|bench)\//.exec(url);
  if (ours) return 'ours:' + ours[1];
  return url ? url.slice(-40) : '(native/gc/program)';
}

function main() {
  const [file, n = '25', last] = process.argv.slice(2);
  const p = JSON.parse(fs.readFileSync(file!, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<number, number>();
  const at: number[] = [];
  p.timeDeltas.reduce((t, d, i) => (at[i] = t + d), 0);
  const from = last ? at[at.length - 1]! - Number(last) * 1e6 : -Infinity;
  p.samples.forEach((id, i) => {
    if (at[i]! >= from) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const key = `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    pkg.set(packageOf(url) || functionName, (pkg.get(packageOf(url) || functionName) ?? 0) + us);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(n))
      .map(([k, us]) => `| ${((100 * us) / busy).toFixed(1)} % | ${k} |`);
  console.log(`busy ${(busy / 1e6).toFixed(2)} s of samples\n\n| self | package |\n|---|---|\n${top(pkg).join('\n')}\n\n| self | function |\n|---|---|\n${top(fn).join('\n')}`);
}

main();
