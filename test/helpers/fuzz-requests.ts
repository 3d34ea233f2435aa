/**
 * A seeded generator of gateway requests for the robustness fuzz test: valid signed requests of the
 * four services, with random mutations before signing (reaching the services' checks) and after
 * signing (breaking the encoding, the charset, the signature or the transport).
 */
import { Agent, request } from 'node:http';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import type { Charset } from '../../src/protocol/constants.js';
import { DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { checkEnvelope } from './envelope-checks.js';
import { parseHttpResponse, socketExchange } from './raw-socket.js';
import { seededRandom } from './seeded-random.js';

/** One generated request; `socket` requests go over raw TCP because HTTP clients would refuse them. */
interface FuzzRequest {
  label: string;
  method: string;
  path: Buffer;
  body: Buffer;
  headers: Record<string, string>;
  socket: boolean;
  /** Bytes that are not HTTP at all: the server may close without an answer. */
  garbage?: Buffer;
}

type Rand = () => number;
type Params = Array<[string, string]>;

const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, list: readonly T[]): T => list[int(r, list.length)] as T;
const chance = (r: Rand, p: number) => r() < p;

const TEXTS = [
  'Coffee',
  '测试商品',
  '咖啡 test',
  '\u{1F600}\u{1F9E7}',
  `<a>&"'`,
  '\u0001\u001F',
  '€ÿ',
  '\uFFFE\uD800',
  ' + % & = ',
];
const CHARSETS = ['utf-8', 'UTF-8', 'GBK', 'gbk', 'GB2312', undefined] as const;
const WEIRD_AMOUNTS = ['1.001', '-1', '1e3', '0', '0.00', '100000000.01', '00.10', '.5', '1,00', ' 1', 'NaN'];
const METHODS = [
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'QUERY',
  'PROPFIND',
  'SEARCH',
  'MKCOL',
  'LOCK',
];
const CONTENT_TYPES = ['application/json', 'text/plain', 'multipart/form-data; boundary=b', 'text/xml'];

function randomText(r: Rand, max = 24): string {
  if (chance(r, 0.5)) return pick(r, TEXTS);
  let s = '';
  for (let n = int(r, max); n > 0; n--)
    s += String.fromCharCode(chance(r, 0.8) ? 32 + int(r, 95) : int(r, 0x3000));
  return s;
}

function randomBytes(r: Rand, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => int(r, 256)));
}

function digits(r: Rand, n: number): string {
  return Array.from({ length: n }, () => String(int(r, 10))).join('');
}

/** Valid business parameters of a random service; pays add their id to `pool` for later calls. */
function baseParams(r: Rand, i: number, pool: string[], hk: boolean): { service: string; params: Params } {
  const known = () => (pool.length > 0 && chance(r, 0.8) ? pick(r, pool) : `FZ-X${i}`);
  const roll = r();
  if (roll < 0.45) {
    const id = `FZ-P${i}`;
    pool.push(id);
    const currency = hk ? 'HKD' : pick(r, ['USD', 'USD', 'HKD', 'JPY', 'EUR', 'CNY']);
    const amount = currency === 'JPY' ? String(1 + int(r, 5000)) : `${int(r, 500)}.${digits(r, 2)}`;
    const params: Params = [
      ['alipay_seller_id', hk ? DEMO_HK_MERCHANT.partner : DEMO_MERCHANT.partner],
      ['partner_trans_id', id],
      ['trans_name', randomText(r)],
      ['currency', currency],
      ['trans_amount', amount === '0.00' ? '0.01' : amount],
      ['buyer_identity_code', pick(r, ['281111111111111111', '282222222222222222', `28${digits(r, 16)}`])],
      ['identity_code_type', 'barcode'],
      ['biz_product', 'OVERSEAS_MBARCODE_PAY'],
    ];
    if (chance(r, 0.3)) params.push(['extend_info', '{"secondary_merchant_id":"001"}']);
    if (chance(r, 0.3)) params.push(['memo', randomText(r)]);
    return { service: 'alipay.acquire.overseas.spot.pay', params };
  }
  if (roll < 0.65) {
    const params: Params = [['partner_trans_id', known()]];
    if (chance(r, 0.2)) params.push(['alipay_trans_id', digits(r, 28)]);
    return { service: 'alipay.acquire.overseas.query', params };
  }
  if (roll < 0.83) {
    return {
      service: 'alipay.acquire.overseas.spot.refund',
      params: [
        ['partner_trans_id', known()],
        ['partner_refund_id', chance(r, 0.2) ? 'FZ-R-SAME' : `FZ-R${i}`],
        ['refund_amount', `0.${digits(r, 2)}`],
        ['currency', hk ? 'HKD' : 'USD'],
        ['is_sync', pick(r, ['Y', 'N'])],
      ],
    };
  }
  if (roll < 0.97) {
    const timestamp = chance(r, 0.7) ? String(1_795_000_000_000 + int(r, 1e9)) : '2026-11-26 12:00:00';
    return {
      service: 'alipay.acquire.cancel',
      params: [
        ['out_trade_no', known()],
        ['timestamp', timestamp],
      ],
    };
  }
  return {
    service: pick(r, ['single_trade_query', 'alipay.acquire.precreate', randomText(r, 8)]),
    params: [],
  };
}

/** Changes made before signing, so that they reach the services' own checks. */
function mutateBeforeSigning(r: Rand, params: Params): string[] {
  const done: string[] = [];
  for (let n = chance(r, 0.35) ? 1 + int(r, 2) : 0; n > 0; n--) {
    const at = int(r, params.length);
    const kind = int(r, 5);
    if (kind === 0 && params.length > 0) {
      done.push(`drop ${params[at]?.[0]}`);
      params.splice(at, 1);
    } else if (kind === 1 && params[at]) {
      done.push(`alter ${params[at][0]}`);
      params[at][1] = randomText(r, 300);
    } else if (kind === 2) {
      const amount = params.find(([k]) => k === 'trans_amount' || k === 'refund_amount');
      if (amount) amount[1] = pick(r, WEIRD_AMOUNTS);
      done.push('weird amount');
    } else if (kind === 3) {
      params.push([`x_${int(r, 99)}`, randomText(r)]);
      done.push('extra param');
    } else if (params[at]) {
      params[at][1] = '';
      done.push(`empty ${params[at][0]}`);
    }
  }
  // Keep away from the default mock rules (docs/rules.md): they hang, reset or garble on purpose.
  for (const p of params) {
    if (p[0] === 'trans_amount' && Math.abs(Number(p[1]) - 9900) <= 100) p[1] = '1.00';
    if (p[1].startsWith('MOCK_')) p[1] = `X${p[1]}`;
  }
  return done;
}

/** Breaks the encoded request text in one of several ways. */
function mutateEncoded(r: Rand, text: Buffer): { bytes: Buffer; what: string } {
  const at = int(r, text.length + 1);
  const splice = (insert: Buffer) => Buffer.concat([text.subarray(0, at), insert, text.subarray(at)]);
  // Huge values (around bodyLimit) are rare: they cost most of the run's time.
  switch (chance(r, 0.06) ? 5 : int(r, 5)) {
    case 0:
      return {
        bytes: splice(Buffer.from(`%${'0123456789ABCDEFXZ%'.charAt(int(r, 19))}`)),
        what: 'truncated escape',
      };
    case 1:
      return {
        bytes: splice(Buffer.from(`%${randomBytes(r, 2).toString('latin1')}`, 'latin1')),
        what: 'random escape',
      };
    case 2:
      return { bytes: splice(randomBytes(r, 1 + int(r, 8))), what: 'random bytes' };
    case 3:
      return { bytes: splice(Buffer.from(pick(r, ['&', '=', '+', '&&', '=&=', '%00']))), what: 'separator' };
    case 4:
      return { bytes: text.subarray(0, at), what: 'truncated' };
    default:
      return { bytes: splice(Buffer.from(`&pad=${'z'.repeat(200_000 + int(r, 100_000))}`)), what: 'huge' };
  }
}

/** The i-th request of the run. */
function generate(r: Rand, i: number, pool: string[]): FuzzRequest {
  if (chance(r, 0.02)) {
    const garbage = randomBytes(r, 1 + int(r, 200));
    return {
      label: 'garbage',
      method: '',
      path: Buffer.alloc(0),
      body: Buffer.alloc(0),
      headers: {},
      socket: true,
      garbage,
    };
  }
  const hk = chance(r, 0.2);
  const merchant = hk ? DEMO_HK_MERCHANT : DEMO_MERCHANT;
  const { service, params } = baseParams(r, i, pool, hk);
  const label = [service.slice(-12)];
  const charsetName = pick(r, CHARSETS);
  const charset: Charset =
    charsetName === undefined ? 'GBK' : charsetName.toUpperCase() === 'UTF-8' ? 'UTF-8' : 'GBK';
  const all: Params = [['service', service], ['partner', merchant.partner], ...params];
  if (charsetName !== undefined) all.push(['_input_charset', charsetName]);
  label.push(...mutateBeforeSigning(r, all));
  const key = chance(r, 0.05) ? '0'.repeat(32) : merchant.md5Key;
  all.push(
    ['sign', md5Sign(buildSignString(all.map(([name, value]) => ({ name, value }))), key, charset)],
    ['sign_type', chance(r, 0.95) ? 'MD5' : pick(r, ['RSA', 'md5', 'DSA', ''])],
  );
  if (chance(r, 0.3)) all.sort(() => r() - 0.5);
  if (chance(r, 0.1)) {
    const dup = pick(r, all);
    all.push([dup[0], chance(r, 0.5) ? dup[1] : `${dup[1]}2`]);
    label.push(`duplicate ${dup[0]}`);
  }
  let encoded: Buffer = Buffer.from(encodeForm(all, charset), 'latin1');
  if (chance(r, 0.35)) {
    const m = mutateEncoded(r, encoded);
    encoded = m.bytes;
    label.push(m.what);
  }
  const roll = r();
  let method = 'GET';
  let path: Buffer = Buffer.concat([Buffer.from('/gateway.do?'), encoded]);
  let body: Buffer = Buffer.alloc(0);
  const headers: Record<string, string> = {};
  if (roll >= 0.45) {
    method = roll < 0.9 ? 'POST' : pick(r, METHODS);
    const split = roll < 0.55 ? encoded.indexOf('&', int(r, encoded.length)) : -1;
    path =
      split > 0
        ? Buffer.concat([Buffer.from('/gateway.do?'), encoded.subarray(0, split)])
        : Buffer.from('/gateway.do');
    body = split > 0 ? encoded.subarray(split + 1) : encoded;
    const type = r();
    if (type < 0.8)
      headers['content-type'] =
        `application/x-www-form-urlencoded${chance(r, 0.3) ? `; charset=${charset}` : ''}`;
    else if (type < 0.9) headers['content-type'] = pick(r, CONTENT_TYPES);
  }
  label.unshift(method);
  // node:http refuses a path with bytes outside 0x21–0xFF, and sends bytes above 0x7E as it likes.
  const socket = path.some((b) => b < 0x21 || b > 0x7e);
  return { label: label.join(' / '), method, path, body, headers, socket };
}

/** What one answer was: `T:<result_code>`, `F:<error>` or `closed`; or what is wrong with it. */
type Verdict = { ok: true; kind: string } | { ok: false; problem: string };

function verdictOf(checked: ReturnType<typeof checkEnvelope>): Verdict {
  if (typeof checked === 'string') return { ok: false, problem: checked };
  const { alipay } = checked;
  if (alipay.is_success === 'F') return { ok: true, kind: `F:${String(alipay.error)}` };
  const response = (alipay.response as { alipay: Record<string, string | undefined> }).alipay;
  const error = response.error === undefined ? '' : `:${response.error}`;
  return { ok: true, kind: `T:${response.result_code ?? ''}${error}` };
}

async function send(baseUrl: string, agent: Agent, req: FuzzRequest): Promise<Verdict> {
  if (req.socket) {
    const head = req.garbage
      ? req.garbage
      : Buffer.concat([
          Buffer.from(`${req.method} `),
          req.path,
          Buffer.from(
            ' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
              Object.entries(req.headers)
                .map(([k, v]) => `${k}: ${v}\r\n`)
                .join('') +
              `Content-Length: ${req.body.length}\r\n\r\n`,
          ),
          req.body,
        ]);
    const reply = await socketExchange(baseUrl, head, 10_000);
    if (!reply.closed) return { ok: false, problem: 'connection left open without an answer' };
    if (reply.bytes.length === 0 && req.garbage) return { ok: true, kind: 'closed' };
    const http = parseHttpResponse(reply.bytes);
    if (!http) return { ok: false, problem: `no HTTP answer (${reply.error ?? 'closed'})` };
    return verdictOf(checkEnvelope(http.status, http.headers['content-type'], http.body));
  }
  return new Promise((resolve) => {
    const headers = { ...req.headers, 'content-length': String(req.body.length) };
    const { hostname, port } = new URL(baseUrl);
    // Host, port and path apart: a URL string would be normalised (`#`, backslashes, quotes), a path is sent as is.
    const target = { host: hostname, port, path: req.path.toString('latin1') };
    const call = request({ ...target, method: req.method, headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve(
          verdictOf(checkEnvelope(res.statusCode ?? 0, res.headers['content-type'], Buffer.concat(chunks))),
        );
      });
    });
    call.on('timeout', () => call.destroy(new Error('timeout')));
    call.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ ok: false, problem: `client error ${err.code ?? err.message}` }),
    );
    call.end(req.body);
  });
}

/** Result of a fuzz run: one line per bad answer, and how many answers of each kind came back. */
export interface FuzzReport {
  failures: string[];
  /** `T:SUCCESS`, `T:FAILED:INVALID_PARAMETER`, `F:ILLEGAL_SIGN`, `closed`… → count. */
  tally: Map<string, number>;
}

/** Sends `count` generated requests with bounded concurrency, `concurrency` at a time. */
export async function runFuzz(
  baseUrl: string,
  opts: { seed: number; count: number; concurrency: number },
): Promise<FuzzReport> {
  const r = seededRandom(opts.seed);
  const pool: string[] = [];
  const requests = Array.from({ length: opts.count }, (_, i) => generate(r, i, pool));
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const failures: string[] = [];
  const tally = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const req = requests[i]!;
      const verdict = await send(baseUrl, agent, req);
      if (!verdict.ok) failures.push(`#${i} ${req.label}: ${verdict.problem}`);
      else tally.set(verdict.kind, (tally.get(verdict.kind) ?? 0) + 1);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { failures, tally };
}
