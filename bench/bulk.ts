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
export function bulkBodies(): { name: string; body: string; /** Not served before `columns(fields)` existed. */ since?: 'fields' }[] {
  const rows = Array.from({ length: BULK_ROWS }, (_, i) => ({ ...ROW, Glucose: 80 + (i % 120) }));
  const columns = Object.keys(ROW);
  const matrix = { columns, rows: rows.map((r) => columns.map((c) => (r as Record<string, number>)[c])) };
  const rowsQuery = 'query($rows: [JSONObject!]!) { predict(model: "bench", rows: $rows) { version predictions { probability } } }';
  const matrixQuery = (out: string) => `query($m: FeatureMatrix!) { predict(model: "bench", matrix: $m) { version ${out} } }`;
  return [
    { name: '`rows: [JSONObject!]` → `predictions { probability }`', body: JSON.stringify({ query: rowsQuery, variables: { rows } }) },
    { name: '`matrix: FeatureMatrix` → `predictions { probability }`', body: JSON.stringify({ query: matrixQuery('predictions { probability }'), variables: { m: matrix } }) },
    {
      name: '`matrix: FeatureMatrix` → `columns(fields: [PROBABILITY])`',
      body: JSON.stringify({ query: matrixQuery('columns(fields: [PROBABILITY])'), variables: { m: matrix } }),
      since: 'fields',
    },
    { name: '`matrix: FeatureMatrix` → `columns`', body: JSON.stringify({ query: matrixQuery('columns'), variables: { m: matrix } }) },
  ];
}

/** An API process under the bulk bench. */
export interface BulkServer {
  /** Shown in the table (e.g. `this branch`, `base f636505`). */
  label: string;
  url: string;
  pid: number;
  /** A build from before `columns(fields)`: the shapes that need it are skipped. */
  before?: 'fields';
}

/**
 * Loads each shape on each server for `seconds` (after a 1 s warm-up each; servers taking turns
 * shape by shape, so they see the same machine) and prints one table through `say`.
 * @returns the figures by shape (outer) and server (inner; undefined where the server does not serve
 *   the shape); the last shape is the full columnar one.
 */
export async function runBulkBench(servers: BulkServer[], token: string, seconds: number, say: (s?: string) => void): Promise<(Measured | undefined)[][]> {
  const target = (server: BulkServer, body: string) => ({ name: server.label, url: server.url, body, headers: { authorization: `Bearer ${token}` }, pid: server.pid });
  const shapes = bulkBodies();
  const serves = (server: BulkServer, s: (typeof shapes)[number]) => !(s.since && server.before === s.since);
  for (const s of shapes) for (const server of servers) if (serves(server, s)) await measure(target(server, s.body), BULK_CONNECTIONS, 1);
  const out: (Measured | undefined)[][] = [];
  for (const s of shapes) {
    const row: (Measured | undefined)[] = [];
    for (const server of servers) row.push(serves(server, s) ? await measure(target(server, s.body), BULK_CONNECTIONS, seconds) : undefined);
    out.push(row);
  }
  const first = out[0]![0]!;
  const many = servers.length > 1;
  say(`| input → output shape |${many ? ' server |' : ''} requests/s | rows/s | p99 | server CPU µs/row | CPU ratio (first row ÷ this) |`);
  say(`|---|${many ? '---|' : ''}---|---|---|---|---|`);
  shapes.forEach((s, i) =>
    servers.forEach((server, j) => {
      const m = out[i]![j];
      if (!m) return;
      const errs = m.errors || m.non2xx ? ` ${m.errors} errors, ${m.non2xx} non-2xx` : '';
      say(
        `| ${s.name} |${many ? ` ${server.label} |` : ''} ${Math.round(m.rps)} | **${Math.round(m.rps * BULK_ROWS)}** | ${m.p99ms} ms | ${(m.cpuUsPerReq / BULK_ROWS).toFixed(2)} | ${(first.cpuUsPerReq / m.cpuUsPerReq).toFixed(2)}× |${errs}`,
      );
    }),
  );
  return out;
}
