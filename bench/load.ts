/** A bounded HTTP load run (autocannon) against a loopback URL, summarised. */
import autocannon from 'autocannon';

export interface LoadResult {
  /** Completed requests per second (2xx only). */
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
  /** Responses received (any status). */
  total: number;
}

export async function load(url: string, body: string | undefined, headers: Record<string, string>, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: body ? 'POST' : 'GET',
    body,
    headers: body ? { 'content-type': 'application/json', ...headers } : headers,
    connections,
    duration: seconds,
    pipelining: 1,
  });
  return {
    rps: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}
