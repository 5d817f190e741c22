/**
 * Bulk predict over GraphQL: 1,000-row requests at concurrency 8, each input → output shape side by
 * side in one run, with the API's CPU time per row (read from /proc, every thread of the server
 * process: the steadiest figure on a shared machine).
 */
import { PIMA_ROW as ROW } from '../src/client/reference-job';
import { measure, type Measured } from './anchors';

/** Rows per request and connections of the bulk bench. */
export const BULK_ROWS = 1000;
export const BULK_CONNECTIONS = 8;

/** The request bodies of the bulk bench, by shape. */
export function bulkBodies(): { name: string; body: string }[] {
  const rows = Array.from({ length: BULK_ROWS }, (_, i) => ({ ...ROW, Glucose: 80 + (i % 120) }));
  const columns = Object.keys(ROW);
  const matrix = { columns, rows: rows.map((r) => columns.map((c) => (r as Record<string, number>)[c])) };
  const rowsQuery = 'query($rows: [JSONObject!]!) { predict(model: "bench", rows: $rows) { version predictions { probability } } }';
  const matrixQuery = (out: string) => `query($m: FeatureMatrix!) { predict(model: "bench", matrix: $m) { version ${out} } }`;
  return [
    { name: '`rows: [JSONObject!]` → `predictions { probability }`', body: JSON.stringify({ query: rowsQuery, variables: { rows } }) },
    { name: '`matrix: FeatureMatrix` → `predictions { probability }`', body: JSON.stringify({ query: matrixQuery('predictions { probability }'), variables: { m: matrix } }) },
    { name: '`matrix: FeatureMatrix` → `columns`', body: JSON.stringify({ query: matrixQuery('columns'), variables: { m: matrix } }) },
  ];
}

/**
 * Loads each shape for `seconds` (after a 1 s warm-up each) and prints one table through `say`.
 * @param pid the API's process id (for its CPU time).
 * @returns the figures by shape name; the last is the columnar shape.
 */
export async function runBulkBench(url: string, token: string, pid: number, seconds: number, say: (s?: string) => void): Promise<Measured[]> {
  const target = (body: string) => ({ name: 'api', url, body, headers: { authorization: `Bearer ${token}` }, pid });
  const shapes = bulkBodies();
  for (const s of shapes) await measure(target(s.body), BULK_CONNECTIONS, 1);
  const out: Measured[] = [];
  for (const s of shapes) out.push(await measure(target(s.body), BULK_CONNECTIONS, seconds));
  const first = out[0]!;
  say('| input → output shape | requests/s | rows/s | p99 | server CPU µs/row | CPU ratio (rows shape ÷ this) |');
  say('|---|---|---|---|---|---|');
  shapes.forEach((s, i) => {
    const m = out[i]!;
    const errs = m.errors || m.non2xx ? ` ${m.errors} errors, ${m.non2xx} non-2xx` : '';
    say(
      `| ${s.name} | ${Math.round(m.rps)} | **${Math.round(m.rps * BULK_ROWS)}** | ${m.p99ms} ms | ${(m.cpuUsPerReq / BULK_ROWS).toFixed(2)} | ${(first.cpuUsPerReq / m.cpuUsPerReq).toFixed(2)}× |${errs}`,
    );
  });
  return out;
}
