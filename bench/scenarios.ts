/**
 * The benchmark's scenarios: one object each. A new one is another entry here, with a target from
 * targets.ts and its request paths built in prepare(). Every request is a pre-signed GET of the bench
 * merchant (bench-fixtures.ts); scenarios f–i run on PostgreSQL (skipped when it is not reachable).
 */
import { SLICE_WARMUP_SECONDS, type BenchSettings } from './bench-settings.js';
import { payRequest, type BenchFixtures } from './bench-fixtures.js';
import type { TargetName } from './targets.js';

/**
 * The request paths of one scenario: the warm-up's, then the measured run's. A scenario whose requests
 * must be new gives as many as its warm-ups and slices can send (run.ts cuts them by their seconds).
 */
export interface ScenarioPaths {
  warmup: readonly string[];
  measured: readonly string[];
  /** Each request must be new (a pay): one sent again after the list ran out counts as an error. */
  once?: boolean;
}

/** One line of the result table. */
export interface Scenario {
  id: string;
  title: string;
  target: TargetName;
  /** Text every answer must contain (with HTTP 200); anything else counts as an error. */
  expect: string;
  /** A throughput goal relative to another scenario of the same run. */
  goal?: { of: string; atLeast: number };
  /** A latency goal: wrk's p99 at most this many milliseconds (the median over the rounds). */
  p99Goal?: { atMostMs: number };
  /** A ratio to print without a goal: this scenario's rate over another's of the same run. */
  compare?: { of: string; what: string };
  /**
   * This scenario measures that one's server again, later in the round: how far the host's speed
   * moved between the two (format-table.ts counts a round only while the baseline held still).
   */
  recheck?: string;
  /** Builds the requests (signing included) before the clock starts. */
  prepare(settings: BenchSettings, fixtures: BenchFixtures): ScenarioPaths;
}

const QUERY_OK = '<alipay_trans_status>TRADE_SUCCESS</alipay_trans_status>';
const PAY_OK = '<result_code>SUCCESS</result_code>';
/** Alipay's documented mock rule: a spot pay of 9901 answers FAILED / SYSTEM_ERROR (docs/rules.md). */
const RULE_9901_OK = '<error>SYSTEM_ERROR</error>';
/** Distinct signed requests of the rule-hit scenarios, sent in turn. */
const RULE_REQUESTS = 1_000;

/** Every scenario, in the order they run. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'a',
    title: 'bare node:http, fixed GBK XML (baseline)',
    target: 'bare',
    expect: QUERY_OK,
    prepare: (_settings, fixtures) => queries(fixtures),
  },
  {
    id: 'b',
    title: 'query, 100 paid trades in turn',
    target: 'sandbox',
    expect: QUERY_OK,
    goal: { of: 'a', atLeast: 0.35 },
    p99Goal: { atMostMs: 10 },
    prepare: (_settings, fixtures) => queries(fixtures),
  },
  {
    id: 'c',
    title: 'spot pay, a new partner_trans_id each',
    target: 'sandbox',
    expect: PAY_OK,
    goal: { of: 'a', atLeast: 0.2 },
    prepare: (settings, fixtures) => newPays(settings, fixtures, 'C'),
  },
  {
    id: 'd',
    title: '9901 default-rule hit, 1 000 requests in turn',
    target: 'sandbox',
    expect: RULE_9901_OK,
    goal: { of: 'a', atLeast: 0.35 },
    prepare: (_settings, fixtures) => ruleHits(fixtures, 'D'),
  },
  {
    id: 'e',
    title: 'd with 10 000 custom rules (1 000 merchants)',
    target: 'sandboxManyRules',
    expect: RULE_9901_OK,
    goal: { of: 'd', atLeast: 0.9 },
    prepare: (_settings, fixtures) => ruleHits(fixtures, 'E'),
  },
  {
    id: 'a2',
    title: 'a again, after the SQLite scenarios',
    target: 'bare',
    expect: QUERY_OK,
    recheck: 'a',
    prepare: (_settings, fixtures) => queries(fixtures),
  },
  {
    id: 'f',
    title: 'b on PostgreSQL',
    target: 'postgres',
    expect: QUERY_OK,
    compare: { of: 'b', what: 'PostgreSQL / SQLite, query' },
    prepare: (_settings, fixtures) => queries(fixtures),
  },
  {
    id: 'g',
    title: 'c on PostgreSQL',
    target: 'postgres',
    expect: PAY_OK,
    compare: { of: 'c', what: 'PostgreSQL / SQLite, pay' },
    prepare: (settings, fixtures) => newPays(settings, fixtures, 'G'),
  },
  {
    id: 'h',
    title: 'f on two instances, one database',
    target: 'postgresPair',
    expect: QUERY_OK,
    compare: { of: 'f', what: 'two instances / one, query' },
    prepare: (_settings, fixtures) => queries(fixtures),
  },
  {
    id: 'i',
    title: 'g on two instances, one database',
    target: 'postgresPair',
    expect: PAY_OK,
    compare: { of: 'g', what: 'two instances / one, pay' },
    prepare: (settings, fixtures) => newPays(settings, fixtures, 'I'),
  },
];

function queries(fixtures: BenchFixtures): ScenarioPaths {
  const paths = fixtures.queries.map((q) => q.path);
  return { warmup: paths, measured: paths };
}

/** 1 000 distinct 9901 pays (a rule hit makes no trade, so they can be sent again and again). */
function ruleHits(fixtures: BenchFixtures, prefix: string): ScenarioPaths {
  const paths = Array.from(
    { length: RULE_REQUESTS },
    (_, i) => payRequest(fixtures.merchant, `${prefix}${i}`, '9901').path,
  );
  return { warmup: paths, measured: paths };
}

/** New trades: one pre-signed pay per request the run can send (BENCH_PAY_POOL_RATE per second). */
function newPays(settings: BenchSettings, fixtures: BenchFixtures, prefix: string): ScenarioPaths {
  const runId = `${prefix}${Date.now().toString(36).toUpperCase()}`;
  const pays = (part: string, seconds: number) =>
    Array.from(
      { length: Math.ceil(settings.payPoolRate * seconds) },
      (_, i) => payRequest(fixtures.merchant, `${runId}${part}${i}`, '0.01').path,
    );
  // A fresh server's first warm-up is three times as long; each later slice warms up again.
  const warmupSeconds = settings.warmupSeconds * 3 + (settings.slices - 1) * SLICE_WARMUP_SECONDS;
  return { warmup: pays('W', warmupSeconds), measured: pays('M', settings.seconds), once: true };
}
