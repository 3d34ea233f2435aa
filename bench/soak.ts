/**
 * `npm run soak`: mixed traffic against one sandbox in a child process for SOAK_SECONDS (default 600):
 * pays, queries, refunds, cancels, default- and custom-rule hits, bad requests. Every SOAK_REPORT_SECONDS
 * (30) it prints throughput, latency and the child's memory; memory must stay flat (the request log and
 * every cache are bounded): the summary gives the resident size's trend after SOAK_WARMUP_SECONDS (a
 * quarter of the run) and says whether it is flat (memory-trend.ts). Not a test and not part of npm
 * test: it prints figures (docs/performance.md).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SANDBOX_NODE_FLAGS } from './bench-settings.js';
import { startChildTarget, type ChildTarget } from './child-target.js';
import { signedRequest, type BenchRequest } from './signed-request.js';
import { DEMO_MERCHANT } from '../src/demo-accounts.js';
import { FLAT_CHANGE, memoryTrend, type MemorySample } from './memory-trend.js';
import { quantile } from './quantile.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const CANCEL = 'alipay.acquire.cancel';
const DECLINE_NAME = 'soak-decline';
/** Trades the traffic refers back to (query, refund, cancel): the newest ones, so the generator stays small. */
const KNOWN_TRADES = 2000;

function setting(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

const seconds = setting('SOAK_SECONDS', 600);
const reportSeconds = setting('SOAK_REPORT_SECONDS', 30);
const concurrency = Math.round(setting('SOAK_CONCURRENCY', 16));
/** The resident size's verdict is taken on the readings after this (default: the first quarter). */
const warmupSeconds = setting('SOAK_WARMUP_SECONDS', seconds / 4);
const dbArgs = process.env['SOAK_DB'] ? ['--db', process.env['SOAK_DB']] : [];

/** One kind of request of the mix, with its share and whether its answer counts as expected. */
interface Kind {
  name: string;
  weight: number;
  make(): BenchRequest;
}

const known: string[] = [];
let sequence = 0;
const runId = Date.now().toString(36).toUpperCase();
const nextId = (prefix: string) => `${prefix}${runId}${(sequence++).toString(36)}`;
const someTrade = () => known[Math.floor(Math.random() * known.length)] ?? 'NONE';
const amount = (maxCents: number) => {
  const cents = 1 + Math.floor(Math.random() * maxCents);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
};
const pay = (extra: Record<string, string> = {}) =>
  signedRequest(
    PAY,
    {
      partner_trans_id: nextId('S'),
      trans_name: 'soak',
      currency: 'USD',
      trans_amount: amount(5000),
      buyer_identity_code: '280000000000000001',
      identity_code_type: 'barcode',
      biz_product: 'OVERSEAS_MBARCODE_PAY',
      ...extra,
    },
    'POST',
  );

const KINDS: readonly Kind[] = [
  { name: 'pay', weight: 30, make: () => pay() },
  { name: 'query', weight: 25, make: () => signedRequest(QUERY, { partner_trans_id: someTrade() }, 'GET') },
  {
    name: 'refund',
    weight: 12,
    make: () =>
      signedRequest(
        REFUND,
        {
          partner_trans_id: someTrade(),
          partner_refund_id: nextId('R'),
          refund_amount: amount(500),
          currency: 'USD',
        },
        'POST',
      ),
  },
  {
    name: 'cancel',
    weight: 5,
    make: () => signedRequest(CANCEL, { out_trade_no: someTrade(), timestamp: String(Date.now()) }, 'POST'),
  },
  { name: 'default rule', weight: 5, make: () => pay({ trans_amount: '9901' }) },
  { name: 'custom rule', weight: 5, make: () => pay({ trans_name: DECLINE_NAME }) },
  {
    name: 'bad signature',
    weight: 6,
    make: () => {
      const good = signedRequest(QUERY, { partner_trans_id: someTrade() }, 'GET');
      return {
        ...good,
        path: good.path.replace(/sign=([0-9a-f])/, (_m, c: string) => `sign=${c === '0' ? '1' : '0'}`),
      };
    },
  },
  {
    name: 'unknown partner',
    weight: 4,
    make: () => signedRequest(QUERY, { partner: '2088000000000000', partner_trans_id: 'X' }, 'GET'),
  },
  {
    name: 'unknown service',
    weight: 4,
    make: () => ({ method: 'GET', path: '/gateway.do?service=nope&partner=x' }),
  },
  {
    name: 'malformed body',
    weight: 4,
    make: () => ({
      method: 'POST',
      path: '/gateway.do',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(`service=%ZZ&&=&${'%'.repeat(Math.floor(Math.random() * 50))}`, 'latin1'),
    }),
  },
];
const TOTAL_WEIGHT = KINDS.reduce((sum, k) => sum + k.weight, 0);

function pick(): Kind {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const kind of KINDS) {
    roll -= kind.weight;
    if (roll < 0) return kind;
  }
  return KINDS[0]!;
}

/** Sends one request; resolves with the status and body, or null when the connection failed. */
function send(base: URL, agent: Agent, req: BenchRequest): Promise<{ status: number; body: Buffer } | null> {
  return new Promise((resolve) => {
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const out = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', () => resolve(null));
      },
    );
    out.on('error', () => resolve(null));
    out.end(req.body);
  });
}

async function createDeclineRule(url: string): Promise<void> {
  const res = await fetch(`${url}/api/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      partner: DEMO_MERCHANT.partner,
      service: PAY,
      name: 'soak: decline',
      when: [{ field: 'trans_name', op: 'eq', value: DECLINE_NAME }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    }),
  });
  if (res.status !== 201)
    throw new Error(`creating the soak rule answered ${res.status}: ${await res.text()}`);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const child: ChildTarget = await startChildTarget('./sandbox-child.js', dbArgs, {
    nodeArgs: SANDBOX_NODE_FLAGS,
  });
  try {
    await createDeclineRule(child.url);
    const base = new URL(child.url);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const start = performance.now();
    const end = start + seconds * 1000;
    let window: number[] = [];
    let windowErrors = 0;
    let total = 0;
    let totalErrors = 0;
    const rssSeen: MemorySample[] = [];
    process.stdout.write(
      `alipay-mock soak: ${seconds} s, ${concurrency} clients, report every ${reportSeconds} s, ` +
        `store ${dbArgs[1] ?? 'SQLite file'}, child pid ${child.pids[0]}\n` +
        `${'t s'.padStart(6)}  ${'requests'.padStart(8)}  ${'req/s'.padStart(6)}  ${'p50 ms'.padStart(7)}  ` +
        `${'p99 ms'.padStart(7)}  ${'errors'.padStart(6)}  ${'RSS MB'.padStart(7)}  ${'kept MB'.padStart(7)}  ` +
        `${'V8 MB'.padStart(6)}\n`,
    );

    async function worker(): Promise<void> {
      while (performance.now() < end) {
        const kind = pick();
        const sentAt = performance.now();
        const answer = await send(base, agent, kind.make());
        const took = performance.now() - sentAt;
        total++;
        // Every request, bad ones included, must get HTTP 200 and the protocol's XML envelope.
        if (answer === null || answer.status !== 200 || !answer.body.includes('<alipay>')) {
          windowErrors++;
          totalErrors++;
          continue;
        }
        window.push(took);
        if (kind.name === 'pay' && answer.body.includes('<result_code>SUCCESS</result_code>')) {
          const id = /<partner_trans_id>([^<]+)</.exec(answer.body.toString('latin1'))?.[1];
          if (id !== undefined) {
            known.push(id);
            if (known.length > KNOWN_TRADES) known.splice(0, known.length - KNOWN_TRADES);
          }
        }
      }
    }

    let lastReport = start;
    const keptSeen: number[] = [];
    const committedSeen: number[] = [];
    async function report(): Promise<void> {
      const now = performance.now();
      const latencies = Float64Array.from(window).sort();
      const errors = windowErrors;
      window = [];
      windowErrors = 0;
      const memory = await child.memory?.();
      const elapsed = (now - start) / 1000;
      if (memory) {
        rssSeen.push({ seconds: elapsed, bytes: memory.rss });
        if (memory.keptAfterFullGc !== null) keptSeen.push(memory.keptAfterFullGc);
        committedSeen.push(memory.heapCommitted);
      }
      const kept = memory?.keptAfterFullGc == null ? '-' : mb(memory.keptAfterFullGc);
      const rate = latencies.length / ((now - lastReport) / 1000);
      lastReport = now;
      process.stdout.write(
        `${elapsed.toFixed(0).padStart(6)}  ${String(latencies.length).padStart(8)}  ${rate.toFixed(0).padStart(6)}  ` +
          `${quantile(latencies, 0.5).toFixed(1).padStart(7)}  ${quantile(latencies, 0.99).toFixed(1).padStart(7)}  ` +
          `${String(errors).padStart(6)}  ${mb(memory?.rss ?? 0).padStart(7)}  ${kept.padStart(7)}  ` +
          `${mb(memory?.heapCommitted ?? 0).padStart(6)}\n`,
      );
    }
    // One report at a time: a late one must not interleave with the next or with the summary.
    let reporting: Promise<void> = Promise.resolve();
    const reporter = setInterval(() => {
      reporting = reporting.then(report);
    }, reportSeconds * 1000);

    await Promise.all(Array.from({ length: concurrency }, worker));
    clearInterval(reporter);
    await reporting;
    if (performance.now() - lastReport > 1000) await report();
    agent.destroy();
    const range = (values: number[]) =>
      values.length === 0
        ? 'no report'
        : `first ${mb(values[0] ?? 0)}, last ${mb(values.at(-1) ?? 0)}, ` +
          `min ${mb(Math.min(...values))}, max ${mb(Math.max(...values))} MB`;
    process.stdout.write(
      `\n${total} requests in ${seconds} s (${(total / seconds).toFixed(0)} req/s), ${totalErrors} without a proper answer\n` +
        `child RSS: ${range(rssSeen.map((r) => r.bytes))}\n${rssVerdict(rssSeen)}\n` +
        `child heap kept by the latest full GC: ${range(keptSeen)}\n` +
        `child V8 heap committed (answering thread): ${range(committedSeen)}\n`,
    );
  } finally {
    await child.stop();
  }
}

/** The resident size's trend after the warm-up, with its verdict (memory-trend.ts). */
function rssVerdict(samples: readonly MemorySample[]): string {
  const trend = memoryTrend(samples, warmupSeconds);
  const head = `child RSS after the warm-up (from ${warmupSeconds.toFixed(0)} s`;
  if (trend === undefined) return `${head}): fewer than three readings, no verdict`;
  const percent = (trend.change * 100).toFixed(1);
  const verdict = trend.flat ? 'flat' : `NOT FLAT (${trend.change > 0 ? 'rising' : 'falling'})`;
  return (
    `${head}, ${trend.samples} readings): ${mb(trend.min)}–${mb(trend.max)} MB, slope ` +
    `${trend.bytesPerMinute >= 0 ? '+' : ''}${mb(trend.bytesPerMinute)} MB/min, ` +
    `${trend.change >= 0 ? '+' : ''}${percent} % over the stretch: ${verdict} (at most ±${FLAT_CHANGE * 100} %)`
  );
}

await main();
