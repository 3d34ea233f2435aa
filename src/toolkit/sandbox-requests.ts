import { AssertionError } from 'node:assert';
import { inspect } from 'node:util';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import { SERVICES } from '../protocol/constants.js';
import type { Store } from '../storage/store.js';
import type { RequestLogEntry } from '../ports/request-log.js';

/** Short names a filter may use for a service. */
const SERVICE_ALIASES: Readonly<Record<string, string>> = {
  pay: SERVICES[0],
  spotPay: SERVICES[0],
  cancel: SERVICES[1],
  refund: SERVICES[2],
  spotRefund: SERVICES[2],
  query: SERVICES[3],
};

/** Which requests a test looks for; every given criterion must hold. */
export interface RequestFilter {
  /** Full service name, or `pay`, `cancel`, `refund`, `query`, `notify_verify`. */
  service?: string;
  /** The request's partner_trans_id (out_trade_no for a cancel). */
  partnerTransId?: string;
  /** The trade the request concerned. */
  alipayTransId?: string;
  /** The outcome label, e.g. `SUCCESS`, `FAILED:SYSTEM_ERROR`, `F:ILLEGAL_SIGN`, `fault:reset`, `true`. */
  outcome?: string;
  resultCode?: string;
  /** The business error code. */
  error?: string;
  /** The gateway error code (`is_success=F`). */
  gatewayError?: string;
  /** The mock rule that answered. */
  ruleId?: string;
  /** Parameters the request carried, with exactly these values. */
  params?: Record<string, string>;
}

/** One gateway request as the sandbox saw and answered it. */
export interface LoggedRequest {
  id: number;
  at: Date;
  service: string | null;
  method: string;
  /** The decoded parameters (the first value of a repeated name). */
  params: Record<string, string>;
  outcome: string;
  resultCode: string | null;
  error: string | null;
  gatewayError: string | null;
  ruleId: string | null;
  ruleName: string | null;
  partnerTransId: string | null;
  alipayTransId: string | null;
  /** Whether the signature verified (null: not checked, e.g. an unknown partner). */
  signatureOk: boolean | null;
  /** Why it was refused or failed, in words, when known. */
  reason: string | null;
  responseStatus: number;
  durationMs: number;
  /** The full request log entry. */
  entry: RequestLogEntry;
}

/** The sandbox's request log, for assertions: find, count, expect. */
export interface SandboxRequests {
  /** Matching requests of the sandbox's merchant, oldest first. */
  find(filter?: RequestFilter): Promise<LoggedRequest[]>;
  count(filter?: RequestFilter): Promise<number>;
  /**
   * Asserts that requests match: at least one, or exactly `count`. Throws an AssertionError whose
   * message lists the nearest requests when it does not hold; returns the matches when it does.
   */
  expect(filter: RequestFilter, opts?: { count?: number }): Promise<LoggedRequest[]>;
  /** Every request of the sandbox's merchant, oldest first. */
  all(): Promise<LoggedRequest[]>;
}

/** Newest entries the sandbox reads per merchant (a test's own requests are far fewer). */
const MAX_READ = 5000;
const PAGE = 500;

function toLogged(e: RequestLogEntry): LoggedRequest {
  const params: Record<string, string> = {};
  for (const p of e.params) if (!(p.name in params)) params[p.name] = p.value;
  return {
    id: e.id,
    at: e.receivedAt,
    service: e.service,
    method: e.method,
    params,
    outcome: e.outcome,
    resultCode: e.resultCode,
    error: e.error,
    gatewayError: e.gatewayError,
    ruleId: e.ruleId,
    ruleName: e.ruleName,
    partnerTransId: e.partnerTransId,
    alipayTransId: e.alipayTransId,
    signatureOk: e.signature?.ok ?? null,
    reason: e.reason,
    responseStatus: e.responseStatus,
    durationMs: e.durationMs,
    entry: e,
  };
}

/** The criteria a request fails, by name (empty when it matches). */
function mismatches(r: LoggedRequest, f: RequestFilter): string[] {
  const out: string[] = [];
  const check = (name: string, want: string | undefined, got: string | null) => {
    if (want !== undefined && want !== got) out.push(name);
  };
  check(
    'service',
    f.service === undefined ? undefined : (SERVICE_ALIASES[f.service] ?? f.service),
    r.service,
  );
  check('partnerTransId', f.partnerTransId, r.partnerTransId);
  check('alipayTransId', f.alipayTransId, r.alipayTransId);
  if (f.outcome !== undefined) {
    const ok = f.outcome.endsWith(':') ? r.outcome.startsWith(f.outcome) : r.outcome === f.outcome;
    if (!ok) out.push('outcome');
  }
  check('resultCode', f.resultCode, r.resultCode);
  check('error', f.error, r.error);
  check('gatewayError', f.gatewayError, r.gatewayError);
  check('ruleId', f.ruleId, r.ruleId);
  for (const [name, value] of Object.entries(f.params ?? {})) {
    if (r.params[name] !== value) out.push(`params.${name}`);
  }
  return out;
}

function describe(r: LoggedRequest): string {
  const id = r.params['partner_trans_id'] ?? r.params['out_trade_no'] ?? r.params['notify_id'];
  const rule = r.ruleId ? ` [rule ${r.ruleId}]` : '';
  const time = r.at.toISOString().slice(11, 23);
  return `#${r.id} ${time} ${r.service ?? '(no service)'}${id ? ` ${id}` : ''} → ${r.outcome}${rule}`;
}

/** The failure message of expect: what was wanted, what was found, and the nearest requests. */
export function expectationMessage(
  filter: RequestFilter,
  wanted: number | undefined,
  matched: LoggedRequest[],
  all: LoggedRequest[],
): string {
  const want =
    wanted === undefined ? 'at least 1 request' : `exactly ${wanted} request${wanted === 1 ? '' : 's'}`;
  const lines = [
    `expected ${want} matching ${inspect(filter, { breakLength: Infinity, depth: 3 })}, found ${matched.length}`,
  ];
  if (matched.length > 0) {
    lines.push('matching:', ...matched.slice(-10).map((r) => `  ${describe(r)}`));
  } else if (all.length === 0) {
    lines.push('the sandbox received no request for this merchant');
  } else {
    const nearest = all
      .map((r) => ({ r, miss: mismatches(r, filter) }))
      .sort((a, b) => a.miss.length - b.miss.length || b.r.id - a.r.id)
      .slice(0, 5);
    lines.push(`nearest of the ${all.length} requests received:`);
    for (const { r, miss } of nearest) lines.push(`  ${describe(r)}   (differs in ${miss.join(', ')})`);
  }
  return lines.join('\n');
}

/** The request log of one merchant, flushed before every read. */
export function sandboxRequests(store: Store, writer: RequestLogWriter, partner: string): SandboxRequests {
  async function all(): Promise<LoggedRequest[]> {
    await writer.flush();
    const entries: RequestLogEntry[] = [];
    let beforeId: number | undefined;
    while (entries.length < MAX_READ) {
      const page = await store.listRequestLog({ partner, limit: PAGE, beforeId });
      entries.push(...page);
      if (page.length < PAGE) break;
      beforeId = page.at(-1)?.id;
    }
    return entries.reverse().map(toLogged);
  }
  async function find(filter: RequestFilter = {}): Promise<LoggedRequest[]> {
    return (await all()).filter((r) => mismatches(r, filter).length === 0);
  }
  async function expect(filter: RequestFilter, opts: { count?: number } = {}): Promise<LoggedRequest[]> {
    const everything = await all();
    const matched = everything.filter((r) => mismatches(r, filter).length === 0);
    const ok = opts.count === undefined ? matched.length > 0 : matched.length === opts.count;
    if (ok) return matched;
    throw new AssertionError({
      message: expectationMessage(filter, opts.count, matched, everything),
      actual: matched.length,
      expected: opts.count ?? 1,
      operator: opts.count === undefined ? '>=' : '===',
    });
  }
  return { all, find, count: async (filter) => (await find(filter)).length, expect };
}
