/**
 * Layering of src/ (see STYLE.md): lib <- ml <- modules <- graphql (with rest/, the V2 routes) | jobs <- composition roots.
 * A file may import its own layer or a lower one; graphql and jobs do not import each other.
 * Resolvers, GraphQL types, inputs and scalars live in modules/ but belong to the GraphQL layer:
 * other module code may name them as types (erased) but never load them.
 * And no import cycles outside src/ml (whose cycles are being untangled with the model-family seam).
 * A static scan of the import statements: fast, no database.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', 'src');

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'generated' ? [] : sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports and re-exports of every file, resolved to src-relative paths. */
function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const statements = /^\s*(import|export)\s+(type\s+)?([^;'"]*?from\s+)?'(\.[^']*)'/gm;
    for (const m of text.matchAll(statements)) {
      const base = path.resolve(path.dirname(file), m[4]);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (!target || target.includes(`${path.sep}generated${path.sep}`)) continue;
      const named = m[3] ?? '';
      const typeOnly =
        Boolean(m[2]) ||
        (/^\{[^}]*\}\s*from\s*$/.test(named.trim()) &&
          named
            .replace(/[{}]|from/g, '')
            .split(',')
            .every((n) => /^\s*type\s/.test(n) || !n.trim()));
      out.push({ from: path.relative(SRC, file).split(path.sep).join('/'), to: path.relative(SRC, target).split(path.sep).join('/'), typeOnly });
    }
  }
  return out;
}

const ROOTS = new Set(['main.ts', 'app.ts', 'worker.ts', 'infrastructure.ts']);
const isAdapter = (f: string) => f.startsWith('modules/') && /\.(resolver|type|input|scalar)\.ts$/.test(f);

/** 0 lib, 1 ml, 2 modules, 3 graphql (with the adapters in modules/) / jobs, 4 composition roots; client code is separate. */
function layer(f: string): number {
  if (f.startsWith('lib/') || f === 'config.ts' || f.startsWith('config/')) return 0;
  if (f.startsWith('ml/')) return 1;
  if (isAdapter(f)) return 3;
  if (f.startsWith('modules/')) return 2;
  if (f.startsWith('graphql/') || f.startsWith('rest/') || f.startsWith('jobs/')) return 3;
  if (ROOTS.has(f)) return 4;
  return -1;
}

/** Which of the two layer-3 sides a file is on. */
const side = (f: string) => (f.startsWith('jobs/') ? 'jobs' : 'graphql');

const all = edges();

it('finds the imports it checks', () => {
  expect(all.length).toBeGreaterThan(200);
  expect(all).toContainEqual(expect.objectContaining({ from: 'jobs/training-run.job.ts', to: 'modules/registry/publish-version.ts' }));
});

it('has no import from a lower layer to a higher one', () => {
  const wrong = all.filter((e) => {
    const [a, b] = [layer(e.from), layer(e.to)];
    if (e.from.startsWith('client/')) return !e.to.startsWith('client/') && b !== 0;
    if (isAdapter(e.to) && e.typeOnly && a === 2) return false; // a service naming its GraphQL shape (erased)
    if (b > a) return true;
    if (a === 3 && b === 3) return side(e.from) !== side(e.to); // graphql <-> jobs
    return false;
  });
  expect(wrong.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
});

it('loads GraphQL adapters (resolvers, types, inputs, scalars) only from the GraphQL layer', () => {
  const wrong = all.filter((e) => isAdapter(e.to) && !e.typeOnly && !isAdapter(e.from) && !e.from.startsWith('graphql/'));
  expect(wrong.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
});

it('has no import cycle outside src/ml', () => {
  const next = new Map<string, string[]>();
  for (const e of all) if (!e.from.startsWith('ml/') && !e.to.startsWith('ml/')) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of next.get(f) ?? []) {
      if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' -> '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of next.keys()) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});
