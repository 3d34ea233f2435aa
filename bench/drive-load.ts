import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One request of a scenario, ready to send (signed beforehand). */
export interface BenchRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/gateway.do?…`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

/** Where a scenario's requests come from, and how an answer is judged. */
export interface RequestSource {
  next: () => BenchRequest;
  /** True when the answer is what the scenario expects; default: HTTP 200. */
  accept?: (status: number, body: Buffer) => boolean;
}

/** What a load run measured, counting only requests sent after the warm-up and answered in time. */
export interface LoadResult {
  requests: number;
  /** Every answered request, warm-up included: the denominator of the server's CPU per request. */
  allRequests: number;
  /** Answers refused by `accept`, and transport errors. */
  errors: number;
  seconds: number;
  latenciesMs: Float64Array;
}

/**
 * Keeps `concurrency` requests in flight over keep-alive sockets for warm-up + duration. Requests sent
 * during the warm-up, or still open at the end, are not counted.
 */
export async function driveLoad(opts: {
  baseUrl: string;
  /** Several servers: requests go to each in turn instead of to baseUrl alone. */
  baseUrls?: readonly string[] | undefined;
  source: RequestSource;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
}): Promise<LoadResult> {
  const bases = (opts.baseUrls ?? [opts.baseUrl]).map((u) => new URL(u));
  let turn = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const start = performance.now();
  const measureFrom = start + opts.warmupSeconds * 1000;
  const end = measureFrom + opts.seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let allRequests = 0;

  async function worker(): Promise<void> {
    while (performance.now() < end) {
      const req = opts.source.next();
      const sentAt = performance.now();
      const base = bases[turn++ % bases.length] ?? bases[0]!;
      const ok = await send(base, req, agent, opts.source.accept);
      const doneAt = performance.now();
      allRequests++;
      if (sentAt < measureFrom || doneAt > end) continue;
      if (ok) latencies.push(doneAt - sentAt);
      else errors++;
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  agent.destroy();
  return {
    requests: latencies.length,
    allRequests,
    errors,
    seconds: opts.seconds,
    latenciesMs: Float64Array.from(latencies).sort(),
  };
}

function send(base: URL, req: BenchRequest, agent: Agent, accept: RequestSource['accept']): Promise<boolean> {
  return new Promise((resolve) => {
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const outgoing = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve(accept ? accept(status, Buffer.concat(chunks)) : status === 200);
        });
        res.on('error', () => resolve(false));
      },
    );
    outgoing.on('error', () => resolve(false));
    outgoing.end(req.body);
  });
}

/** Requests per second of a load run. */
export function rpsOf(load: LoadResult): number {
  return load.requests / load.seconds;
}

/** The q-quantile (0..1) of sorted values, nearest rank; NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}
