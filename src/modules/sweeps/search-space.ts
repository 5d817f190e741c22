/**
 * A sweep's search space and how it becomes trial configurations (pure; no Prisma, no GraphQL).
 *
 * Glossary: a *dimension* is one spec path and the values it may take; a *configuration* (params)
 * gives one value per dimension; a *trial* trains one configuration for some epochs (a training
 * run). GRID enumerates every combination (the first dimension varies slowest, as
 * scikit-learn's ParameterGrid); RANDOM draws `maxTrials` configurations from a seeded generator
 * (mulberry32, src/ml/random.ts), so one seed gives the same trials; SUCCESSIVE_HALVING starts
 * from the grid when every dimension lists its values, else from random draws.
 */
import { badInput } from '../../lib/errors';
import { rng } from '../../ml/random';

/** One dimension: a list of values, or a numeric range (RANDOM and SUCCESSIVE_HALVING only). */
export interface Dimension {
  /** Dotted path in the spec as startTrainingRun takes it, e.g. `optimizer.learningRate`, `layers.0.units`. */
  path: string;
  /** The values to try (JSON); GRID needs these. */
  values?: unknown[] | null;
  /** A range: uniform in [min, max], or log-uniform with `log`; rounded with `integer`. */
  min?: number | null;
  max?: number | null;
  log?: boolean | null;
  integer?: boolean | null;
}

/** How trials are chosen. */
export type Strategy = 'GRID' | 'RANDOM' | 'SUCCESSIVE_HALVING';

/** One configuration: the value of each dimension, by path, in the space's order. */
export type Params = Record<string, unknown>;

/** Most values one dimension may list. */
export const MAX_VALUES_PER_DIMENSION = 100;
/** Most dimensions a space may have. */
export const MAX_DIMENSIONS = 20;

/**
 * Checks the dimensions' shape (not their paths or values against the spec: the caller does).
 * @throws AppError BAD_USER_INPUT naming `space[i]` and what is wrong.
 */
export function checkSpace(space: readonly Dimension[], strategy: Strategy): void {
  if (space.length === 0) throw badInput('space must have at least one dimension', { field: 'space' });
  if (space.length > MAX_DIMENSIONS) throw badInput(`space has ${space.length} dimensions; at most ${MAX_DIMENSIONS}`, { field: 'space' });
  const seen = new Set<string>();
  space.forEach((d, i) => {
    const field = `space[${i}]`;
    if (seen.has(d.path)) throw badInput(`${field}.path '${d.path}' appears twice`, { field: `${field}.path`, path: d.path });
    seen.add(d.path);
    const hasValues = d.values != null;
    const hasRange = d.min != null || d.max != null;
    if (hasValues === hasRange) throw badInput(`${field} ('${d.path}') needs either values or min and max`, { field, path: d.path });
    if (hasValues) {
      if (d.values!.length === 0 || d.values!.length > MAX_VALUES_PER_DIMENSION)
        throw badInput(`${field}.values ('${d.path}') must list 1 to ${MAX_VALUES_PER_DIMENSION} values, not ${d.values!.length}`, { field: `${field}.values`, path: d.path });
      return;
    }
    if (strategy === 'GRID') throw badInput(`${field} ('${d.path}'): a GRID sweep needs values, not a range`, { field, path: d.path });
    const { min, max } = d;
    if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max) || min > max)
      throw badInput(`${field} ('${d.path}'): min ${String(min)} and max ${String(max)} must be finite numbers with min <= max`, { field, path: d.path });
    if (d.log && min <= 0) throw badInput(`${field} ('${d.path}'): a log range needs min > 0, not ${min}`, { field: `${field}.min`, path: d.path });
    if (d.integer && Math.ceil(min) > Math.floor(max)) throw badInput(`${field} ('${d.path}'): no integer between ${min} and ${max}`, { field, path: d.path });
  });
}

/** Grids are counted up to this many combinations (past it the message says "more than"). */
const GRID_COUNT_CAP = 1_000_000;

/** The number of grid combinations (Infinity past `cap`, so huge grids are not multiplied out). */
export function gridSize(space: readonly Dimension[], cap: number): number {
  let n = 1;
  for (const d of space) {
    n *= d.values?.length ?? Infinity;
    if (n > cap) return Infinity;
  }
  return n;
}

/** Every combination of the listed values, the first dimension varying slowest. */
export function gridConfigurations(space: readonly Dimension[]): Params[] {
  let out: Params[] = [{}];
  for (const d of space) out = out.flatMap((p) => d.values!.map((v) => ({ ...p, [d.path]: v })));
  return out;
}

/** Draws one value of a dimension. */
function draw(d: Dimension, random: () => number): unknown {
  if (d.values) return d.values[Math.min(d.values.length - 1, Math.floor(random() * d.values.length))];
  const min = d.min!;
  const max = d.max!;
  if (d.integer) {
    const lo = Math.ceil(min);
    const hi = Math.floor(max);
    if (d.log) return Math.min(hi, Math.max(lo, Math.round(Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo))))));
    return lo + Math.min(hi - lo, Math.floor(random() * (hi - lo + 1)));
  }
  if (d.log) return Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));
  const u = random();
  const span = max - min; // Infinity for a range as wide as ±1.7e308: then drawn as a weighted mean, which stays finite
  return Number.isFinite(span) ? min + u * span : min * (1 - u) + max * u;
}

/** `n` configurations drawn from `seed`: the same seed and space always give the same list. */
export function randomConfigurations(space: readonly Dimension[], n: number, seed: number): Params[] {
  const random = rng(seed);
  return Array.from({ length: n }, () => Object.fromEntries(space.map((d) => [d.path, draw(d, random)])));
}

/**
 * The configurations a sweep starts from.
 * @throws AppError BAD_USER_INPUT (field `budget.maxTrials`) when a grid has more combinations
 *   than the budget allows (nothing is silently left out).
 */
export function configurations(space: readonly Dimension[], strategy: Strategy, maxTrials: number, seed: number): Params[] {
  const fromGrid = strategy === 'GRID' || (strategy === 'SUCCESSIVE_HALVING' && space.every((d) => d.values != null));
  if (!fromGrid) return randomConfigurations(space, maxTrials, seed);
  const size = gridSize(space, GRID_COUNT_CAP);
  if (size > maxTrials) {
    const shown = Number.isFinite(size) ? String(size) : `more than ${GRID_COUNT_CAP}`;
    throw badInput(`The grid has ${shown} combinations, more than budget.maxTrials ${maxTrials}`, { field: 'budget.maxTrials', maxTrials });
  }
  return gridConfigurations(space);
}

/**
 * Sets `value` at a dotted path of a copy of `spec` (objects on the way are created; list
 * indices must exist in the base).
 * @throws AppError BAD_USER_INPUT when a list index is missing from the base spec.
 */
export function withValue(spec: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const root = structuredClone(spec);
  const parts = path.split('.');
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i];
    const next: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    if (next == null || typeof next !== 'object') {
      if (Array.isArray(node) || /^\d+$/.test(parts[i + 1]))
        throw badInput(`space path '${path}': the base spec has no '${parts.slice(0, i + 1).join('.')}'`, { field: 'space', path });
      node[key] = {};
    }
    node = (Array.isArray(node) ? node[Number(key)] : node[key]) as Record<string, unknown> | unknown[];
  }
  const last = parts[parts.length - 1];
  if (Array.isArray(node)) {
    if (Number(last) >= node.length) throw badInput(`space path '${path}': the base spec has no '${path}'`, { field: 'space', path });
    node[Number(last)] = value;
  } else node[last] = value;
  return root;
}
