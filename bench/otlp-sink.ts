/**
 * A local OTLP/HTTP receiver for the tracing benchmark (bench/tracing.ts): accepts POST /v1/traces
 * (JSON, as @opentelemetry/exporter-trace-otlp-http sends it), counts the spans, answers 200;
 * GET /stats answers `{ requests, spans }`. Stands in for a collector, so the traced server pays
 * for recording, batching, serialising and sending its spans, as it would in production.
 */
import http from 'node:http';

let requests = 0;
let spans = 0;

interface ExportRequest {
  resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ requests, spans }));
    }
    requests++;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest;
      for (const r of body.resourceSpans ?? []) for (const s of r.scopeSpans ?? []) spans += s.spans?.length ?? 0;
    } catch {
      // counted as a request; not JSON (a protobuf exporter) is not this sink's concern
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
