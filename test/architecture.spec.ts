/**
 * Architecture: the import graph of src/ has no cycles and no wrong-way imports (STYLE.md).
 *
 * Layers, lowest first; a file may import its own layer and the layers listed in ALLOWED:
 *   config (src/config.ts), lib → ml → modules → graphql, jobs → composition roots
 *   (src/main.ts, src/app.ts, src/worker.ts, src/services.ts). Nothing in src/ imports a
 *   composition root except another root; tests, scripts and bench may.
 * Also: src/ml imports no Prisma and no GraphQL package; src/client (the API client used by
 * scripts and bench) imports no server code; the worker process (src/worker.ts) never loads the
 * GraphQL server or a GraphQL package at run time.
 *
 * The graph is read with the TypeScript parser (no type checking). Every import counts: static,
 * `import type`, `export … from`, `require()`, `import()` and `typeof import()`. Type-only imports
 * count for cycles and layers too (ESLint's import-x/no-cycle only sees run-time cycles); they are
 * left out only of the worker's run-time reach, where an import counts as type-only when it says
 * so (`import type`, or `type` on every name): mark it, rather than rely on the compiler eliding it.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ts from 'typescript';

/**
 * What is wrong on main today (issue 9), being removed in parallel. The test passes while each of
 * these still exists and fails when one disappears, so this list can only shrink: delete an entry
 * when its import is gone. Never add one. (Mirrored for ESLint by the TEMPORARY block in
 * eslint.config.mjs.)
 */
const KNOWN_VIOLATIONS: readonly string[] = [
  // Resolvers take their Context type from src/graphql.
  'modules/audit/audit.resolver.ts → graphql/context.ts',
  'modules/auth/api-key.resolver.ts → graphql/context.ts',
  'modules/auth/auth.resolver.ts → graphql/context.ts',
  'modules/datasets/dataset.resolver.ts → graphql/context.ts',
  'modules/registry/alias.resolver.ts → graphql/context.ts',
  'modules/registry/model.resolver.ts → graphql/context.ts',
  'modules/serving/batch.resolver.ts → graphql/context.ts',
  'modules/serving/predict.resolver.ts → graphql/context.ts',
  'modules/system/system.resolver.ts → graphql/context.ts',
  'modules/tenants/tenant.resolver.ts → graphql/context.ts',
  'modules/training/training-run.resolver.ts → graphql/context.ts',
];

const SRC = path.join(__dirname, '..', 'src');

type Layer = 'config' | 'lib' | 'ml' | 'modules' | 'graphql' | 'jobs' | 'root' | 'client' | 'prisma';

/** Layers each layer may import besides its own. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  config: [],
  lib: ['config', 'prisma'],
  ml: ['lib', 'config'],
  modules: ['ml', 'lib', 'config', 'prisma'],
  graphql: ['modules', 'ml', 'lib', 'config', 'prisma'],
  jobs: ['modules', 'ml', 'lib', 'config', 'prisma'],
  root: ['graphql', 'jobs', 'modules', 'ml', 'lib', 'config', 'prisma'],
  client: [],
  prisma: [],
};

const ROOT_FILES = new Set(['main.ts', 'app.ts', 'worker.ts', 'infrastructure.ts']);
const PRISMA_PACKAGE = /^(@prisma\/.+|prisma)$/;
const GRAPHQL_PACKAGE = /^(graphql|graphql-.+|type-graphql|@apollo\/.+|@as-integrations\/.+|@escape\.tech\/graphql-armor)$/;

/** One import of a source file: `to` is a src-relative path, or `package:<name>`. */
interface Edge {
  to: string;
  typeOnly: boolean;
}

function layerOf(file: string): Layer | undefined {
  if (ROOT_FILES.has(file)) return 'root';
  if (file === 'config.ts' || file.startsWith('config/')) return 'config';
  const top = file.split('/')[0];
  if (top === 'generated') return 'prisma';
  if (top === 'rest' && file.includes('/')) return 'graphql'; // the V2 REST routes: the transport layer, beside /graphql
  if (['lib', 'ml', 'modules', 'graphql', 'jobs', 'client'].includes(top) && file.includes('/')) return top as Layer;
  return undefined;
}

function isTest(file: string): boolean {
  return /\.(spec|test)\.[cm]?[jt]s$/.test(file);
}

/** Source files of src/ (src-relative, `/`-separated), generated code and tests beside source left out. */
function sourceFiles(dir = SRC): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(SRC, full).split(path.sep).join('/');
    if (entry.isDirectory()) {
      if (rel !== 'generated') out.push(...sourceFiles(full));
    } else if (/\.([cm]?ts|[cm]?js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !isTest(rel)) {
      out.push(rel);
    }
  }
  return out.sort();
}

/** Resolves a relative specifier the way Node and `moduleResolution: nodenext` (CommonJS) do for our files. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(SRC, path.dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.js`, `${base}.cjs`, path.join(base, 'index.ts'), path.join(base, 'index.js')];
  if (/\.[cm]?js$/.test(base)) candidates.push(base.replace(/\.([cm]?)js$/, '.$1ts'));
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return found && path.relative(SRC, found).split(path.sep).join('/');
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every import of one file, with whether it is erased at compile time. */
function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The import graph of src/: file → its imports. */
function buildGraph(): { graph: Map<string, Edge[]>; unresolved: string[] } {
  const graph = new Map<string, Edge[]>();
  const unresolved: string[] = [];
  for (const file of sourceFiles()) {
    const edges: Edge[] = [];
    for (const { specifier, typeOnly } of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const to = resolveRelative(file, specifier);
        if (to) edges.push({ to, typeOnly });
        else unresolved.push(`${file}: '${specifier}'`);
      } else {
        edges.push({ to: `package:${packageName(specifier)}`, typeOnly });
      }
    }
    graph.set(file, edges);
  }
  return { graph, unresolved };
}

/** Strongly connected components with more than one file (Tarjan), each as a sorted file list. */
function cycles(graph: Map<string, Edge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        connect(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(v, Math.min(low.get(v)!, index.get(to)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).some((e) => e.to === v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

/** Shortest import chain from `from` to a node matching `target` (breadth-first), for messages. */
function chain(graph: Map<string, Edge[]>, from: string, target: (node: string) => boolean, runtimeOnly: boolean): string[] | undefined {
  const previous = new Map<string, string>([[from, '']]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node !== from && target(node)) {
      const path: string[] = [];
      for (let n = node; n; n = previous.get(n)!) path.unshift(n);
      return path;
    }
    for (const { to, typeOnly } of graph.get(node) ?? []) {
      if ((runtimeOnly && typeOnly) || previous.has(to)) continue;
      previous.set(to, node);
      queue.push(to);
    }
  }
  return undefined;
}

/** Every violation as a key (the form KNOWN_VIOLATIONS uses) with a readable explanation. */
function violations(graph: Map<string, Edge[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const component of cycles(graph)) {
    const start = component[0];
    const inside = new Map([...graph].filter(([k]) => component.includes(k)).map(([k, v]) => [k, v.filter((e) => component.includes(e.to))]));
    const example = chain(inside, start, (n) => inside.get(n)!.some((e) => e.to === start), false) ?? [start];
    out.set(`cycle: ${component.join(' ↔ ')}`, `import cycle, e.g. ${[...example, start].join(' → ')}`);
  }
  for (const [file, edges] of graph) {
    const layer = layerOf(file)!;
    for (const { to } of edges) {
      if (to.startsWith('package:')) {
        const name = to.slice('package:'.length);
        if (layer === 'ml' && (PRISMA_PACKAGE.test(name) || GRAPHQL_PACKAGE.test(name))) out.set(`${file} → package ${name}`, 'src/ml imports no Prisma and no GraphQL');
        continue;
      }
      const toLayer = layerOf(to);
      if (!toLayer || toLayer === layer || ALLOWED[layer].includes(toLayer)) continue;
      out.set(`${file} → ${to}`, `${layer} may not import ${toLayer}${toLayer === 'root' ? ' (only tests, scripts and bench import the composition roots)' : ''}`);
    }
  }
  // The worker process: what src/worker.ts loads at run time (type-only imports are erased).
  if (graph.has('worker.ts')) {
    const reached = new Set<string>();
    const queue = ['worker.ts'];
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (reached.has(node)) continue;
      reached.add(node);
      for (const { to, typeOnly } of graph.get(node) ?? []) if (!typeOnly) to.startsWith('package:') ? reached.add(to) : queue.push(to);
    }
    const loaded = [...reached].filter((n) => layerOf(n) === 'graphql' || (n.startsWith('package:') && GRAPHQL_PACKAGE.test(n.slice('package:'.length))));
    if (loaded.length > 0) {
      const via = (n: string) => `\n        ${(chain(graph, 'worker.ts', (m) => m === n, true) ?? [n]).join(' → ')}`;
      out.set('worker.ts loads GraphQL at run time', `the worker process must not load the GraphQL server or GraphQL packages:${loaded.sort().map(via).join('')}`);
    }
  }
  return out;
}

const { graph, unresolved } = buildGraph();
const found = violations(graph);
const known = new Set(KNOWN_VIOLATIONS);
const describeAll = (keys: string[]) => keys.map((k) => `  ${k}${found.has(k) ? `\n      (${found.get(k)})` : ''}`).join('\n');

describe('architecture of src/', () => {
  it('reads a real import graph', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('main.ts')?.length ?? 0).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });

  it('puts every source file in a layer', () => {
    const outside = [...graph.keys()].filter((f) => !layerOf(f));
    expect(outside).toEqual([]);
  });

  it('has no import cycle (beyond KNOWN_VIOLATIONS)', () => {
    const fresh = [...found.keys()].filter((k) => k.startsWith('cycle:') && !known.has(k));
    if (fresh.length > 0) throw new Error(`Import cycles:\n${describeAll(fresh)}`);
  });

  it('has no wrong-way import (beyond KNOWN_VIOLATIONS)', () => {
    const fresh = [...found.keys()].filter((k) => !k.startsWith('cycle:') && !known.has(k));
    if (fresh.length > 0) throw new Error(`Wrong-way imports (layers: config, lib → ml → modules → graphql, jobs → roots):\n${describeAll(fresh)}`);
  });

  it('lists only KNOWN_VIOLATIONS that still exist (the list only shrinks)', () => {
    const gone = KNOWN_VIOLATIONS.filter((k) => !found.has(k));
    if (gone.length > 0) throw new Error(`Fixed — remove from KNOWN_VIOLATIONS in test/architecture.spec.ts:\n${gone.map((k) => `  ${k}`).join('\n')}`);
  });
});
