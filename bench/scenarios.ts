/**
 * The benchmark's scenarios: one object each. A new one (a default-rule hit, 10 000 rules …) is another
 * entry here, with a target from targets.ts and its requests built in prepare(). Scenarios f–i run on
 * PostgreSQL (skipped when it is not reachable).
 */
import type { BenchSettings } from './bench-settings.js';
import type { BenchFixtures } from './bench-fixtures.js';
import type { BenchRequest, RequestSource } from './drive-load.js';
import { signedRequest } from './signed-request.js';
import type { TargetName } from './targets.js';

/** What prepare() may use. */
export interface ScenarioContext {
  settings: BenchSettings;
  fixtures: BenchFixtures;
  /** req/s of scenario a in this run, when it ran: sizes pools of pre-signed requests. */
  baselineRps: number | undefined;
}

/** One line of the result table. */
export interface Scenario {
  id: string;
  title: string;
  target: TargetName;
  /** A throughput goal relative to another scenario of the same run. */
  goal?: { of: string; atLeast: number };
  /** A ratio to print without a goal: this scenario's rate over another's of the same run. */
  compare?: { of: string; what: string };
  /** Builds the requests (signing included) before the clock starts. */
  prepare(ctx: ScenarioContext): RequestSource;
}

const QUERY_OK = Buffer.from('<alipay_trans_status>TRADE_SUCCESS</alipay_trans_status>');
const PAY_OK = Buffer.from('<result_code>SUCCESS</result_code>');
/** Alipay's documented mock rule: a spot pay of 9901 answers FAILED / SYSTEM_ERROR (docs/rules.md). */
const RULE_9901_OK = Buffer.from('<error>SYSTEM_ERROR</error>');

/** Every scenario, in the order they run. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'a',
    title: 'baseline: bare node:http, fixed GBK XML (GET)',
    target: 'bare',
    prepare: ({ fixtures }) => constant(fixtures.queryRequest),
  },
  {
    id: 'b',
    title: 'query of one paid trade (pre-signed GET)',
    target: 'sandbox',
    goal: { of: 'a', atLeast: 0.3 },
    prepare: ({ fixtures }) => querySource(fixtures.queryRequest),
  },
  {
    id: 'c',
    title: 'spot.pay, a new trade each (pre-signed POST)',
    target: 'sandbox',
    goal: { of: 'a', atLeast: 0.15 },
    prepare: (ctx) => paySource(ctx, 'B'),
  },
  {
    id: 'd',
    title: 'default-rule hit: spot.pay of 9901 (pre-signed POST)',
    target: 'sandbox',
    goal: { of: 'a', atLeast: 0.3 },
    prepare: (ctx) => paySource(ctx, 'D', RULE_9901),
  },
  {
    id: 'e',
    title: 'd with 10 000 custom rules across 1 000 merchants',
    target: 'sandboxManyRules',
    goal: { of: 'd', atLeast: 0.9 },
    prepare: (ctx) => paySource(ctx, 'E', RULE_9901),
  },
  {
    id: 'f',
    title: 'b on PostgreSQL',
    target: 'postgres',
    compare: { of: 'b', what: 'PostgreSQL / SQLite, query' },
    prepare: ({ fixtures }) => querySource(fixtures.queryRequest),
  },
  {
    id: 'g',
    title: 'c on PostgreSQL',
    target: 'postgres',
    compare: { of: 'c', what: 'PostgreSQL / SQLite, pay' },
    prepare: (ctx) => paySource(ctx, 'G'),
  },
  {
    id: 'h',
    title: 'f on two instances, one database (round robin)',
    target: 'postgresPair',
    compare: { of: 'f', what: 'two instances / one, query' },
    prepare: ({ fixtures }) => querySource(fixtures.queryRequest),
  },
  {
    id: 'i',
    title: 'g on two instances, one database (round robin)',
    target: 'postgresPair',
    compare: { of: 'g', what: 'two instances / one, pay' },
    prepare: (ctx) => paySource(ctx, 'I'),
  },
];

function constant(req: BenchRequest): RequestSource {
  return { next: () => req };
}

function querySource(request: BenchRequest): RequestSource {
  return { ...constant(request), accept: (status, body) => status === 200 && body.includes(QUERY_OK) };
}

/** What a pay scenario sends and expects: a new trade of 0.01, or the 9901 default rule's answer. */
interface PayKind {
  amount: string;
  ok: Buffer;
}
const NEW_TRADE: PayKind = { amount: '0.01', ok: PAY_OK };
const RULE_9901: PayKind = { amount: '9901', ok: RULE_9901_OK };

/** New spot pays, signed before the clock starts: enough for the whole run at the baseline's rate. */
function paySource(
  { settings, baselineRps }: ScenarioContext,
  prefix: string,
  kind: PayKind = NEW_TRADE,
): RequestSource {
  // More are signed on the fly when the pool runs out.
  const total = Math.ceil((baselineRps ?? 20_000) * (settings.seconds + settings.warmupSeconds));
  const runId = Date.now().toString(36).toUpperCase();
  const pay = (i: number) =>
    signedRequest(
      'alipay.acquire.overseas.spot.pay',
      {
        alipay_seller_id: '2088101122136241',
        partner_trans_id: `${prefix}${runId}${i}`,
        trans_name: 'bench',
        currency: 'USD',
        trans_amount: kind.amount,
        buyer_identity_code: '280000000000000001',
        identity_code_type: 'barcode',
        biz_product: 'OVERSEAS_MBARCODE_PAY',
      },
      'POST',
    );
  const pool = Array.from({ length: total }, (_, i) => pay(i));
  let next = 0;
  return {
    next: () => {
      const i = next++;
      return pool[i] ?? pay(i);
    },
    accept: (status, body) => status === 200 && body.includes(kind.ok),
  };
}
