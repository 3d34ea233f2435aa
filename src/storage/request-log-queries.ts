import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { toMillis, toMillisOrNull } from './columns.js';
import type { RowValue } from './row-buffer.js';
import type { Database, RequestLogTable } from './schema.js';
import type { NewRequestLogEntry, RequestLogFilter } from '../ports/request-log.js';
import type { RequestLogEntry } from '../ports/request-log.js';
import { normalizeCharset } from '../protocol/charset.js';
import { decodeParams, wireParams } from '../protocol/form-decode.js';
import { signStringOf, type SignConvention } from '../protocol/verify-request.js';

/** Page size of listRequestLog when none is given, and the most it returns. */
export const DEFAULT_REQUEST_LOG_LIMIT = 50;
export const MAX_REQUEST_LOG_LIMIT = 500;
/**
 * Rows per INSERT statement: 24 parameters each stays far below SQLite's (32766) and PostgreSQL's
 * (65535) limits on bound parameters.
 */
export const REQUEST_LOG_INSERT_CHUNK = 100;

/** The columns a new entry fills (entryToRow), in the order the journal keeps their values. */
export const REQUEST_LOG_COLUMNS = [
  'received_at',
  'partner',
  'service',
  'method',
  'raw_query',
  'raw_body',
  'params_json',
  'charset',
  'signature_json',
  'gateway_error',
  'result_code',
  'error',
  'reason',
  'rule_id',
  'rule_name',
  'alipay_trans_id',
  'partner_trans_id',
  'outcome',
  'response_status',
  'response_body',
  'duration_ms',
  'diagnosis',
  'request_id',
  'sandbox_at',
] as const satisfies readonly (keyof Insertable<RequestLogTable>)[];

/** A request_log row type whose `params_json` is P (null where the journal leaves it out). */
type WithParamsJson<Row, P> = Omit<Row, 'params_json'> & { params_json: P };

/**
 * A request_log row as the SQLite journal keeps it (request-log-thread.ts): `params_json` is null,
 * and `signature_json` lacks the string to sign, when both follow from the raw texts (rowToEntry).
 */
export type JournalRow = WithParamsJson<Insertable<RequestLogTable>, string | null>;

/** A journal row as the row buffer takes it (RowBufferWriter.addRow with REQUEST_LOG_COLUMNS). */
export function journalRowValues(
  row: JournalRow,
): Readonly<Record<(typeof REQUEST_LOG_COLUMNS)[number], RowValue>> {
  // Every column of a journal row holds text, a number or null (rowOf).
  return row as Readonly<Record<(typeof REQUEST_LOG_COLUMNS)[number], RowValue>>;
}

/** A new log entry as its request_log row (JSON text columns serialised, times as epoch ms). */
export function entryToRow(e: NewRequestLogEntry): Insertable<RequestLogTable> {
  return rowOf(e, JSON.stringify(e.params), e.signature === null ? null : JSON.stringify(e.signature));
}

/**
 * entryToRow for the SQLite journal. An entry whose parameters are its raw texts decoded
 * (paramsFromWire) keeps neither them nor its string to sign: rowToEntry decodes and builds them
 * again. That is about a third of a query's row less to write into the log, and no JSON of them to
 * make on the thread that answers (docs/performance-history.md).
 */
export function entryToJournalRow(e: NewRequestLogEntry): JournalRow {
  if (e.paramsFromWire !== true) return entryToRow(e);
  // JSON.stringify of { ok, convention } written out: a convention is one of three plain words.
  const signature =
    e.signature === null
      ? null
      : `{"ok":${e.signature.ok},"convention":${e.signature.convention === null ? 'null' : `"${e.signature.convention}"`}}`;
  return rowOf(e, null, signature);
}

function rowOf<P extends string | null>(
  e: NewRequestLogEntry,
  paramsJson: P,
  signatureJson: string | null,
): WithParamsJson<Insertable<RequestLogTable>, P> {
  return {
    received_at: toMillis(e.receivedAt),
    partner: e.partner,
    service: e.service,
    method: e.method,
    raw_query: e.rawQuery,
    raw_body: e.rawBody,
    params_json: paramsJson,
    charset: e.charset,
    signature_json: signatureJson,
    gateway_error: e.gatewayError,
    result_code: e.resultCode,
    error: e.error,
    reason: e.reason,
    rule_id: e.ruleId,
    rule_name: e.ruleName,
    alipay_trans_id: e.alipayTransId,
    partner_trans_id: e.partnerTransId,
    outcome: e.outcome,
    response_status: e.responseStatus,
    response_body: e.responseBody,
    duration_ms: e.durationMs,
    diagnosis: e.diagnosis ?? null,
    request_id: e.requestId ?? null,
    sandbox_at: toMillisOrNull(e.sandboxAt ?? null),
  };
}

/** A row as its entry; a journal row without its parameters (entryToJournalRow) has them decoded again. */
export function rowToEntry(row: WithParamsJson<Selectable<RequestLogTable>, string | null>): RequestLogEntry {
  const params =
    row.params_json === null
      ? wireParamsOf(row.raw_query, row.raw_body, row.charset)
      : (JSON.parse(row.params_json) as RequestLogEntry['params']);
  return {
    id: row.id,
    receivedAt: new Date(row.received_at),
    sandboxAt: row.sandbox_at === null ? null : new Date(Number(row.sandbox_at)),
    partner: row.partner,
    service: row.service,
    method: row.method,
    rawQuery: row.raw_query,
    rawBody: row.raw_body,
    params,
    charset: row.charset,
    signature: row.signature_json === null ? null : signatureOf(row.signature_json, params),
    gatewayError: row.gateway_error,
    resultCode: row.result_code,
    error: row.error,
    reason: row.reason,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    alipayTransId: row.alipay_trans_id,
    partnerTransId: row.partner_trans_id,
    outcome: row.outcome,
    responseStatus: row.response_status,
    responseBody: row.response_body,
    durationMs: row.duration_ms,
    diagnosis: row.diagnosis,
    requestId: row.request_id,
  };
}

/** The parameters the gateway decoded from these raw texts, decoded again the same way. */
function wireParamsOf(rawQuery: string, rawBody: string, charset: string | null): RequestLogEntry['params'] {
  const raw = wireParams(rawQuery, rawBody, Infinity);
  const known = normalizeCharset(charset ?? undefined);
  return raw.ok && known !== null ? decodeParams(raw.params, known) : [];
}

/** The stored signature check; its string to sign built again when the journal left it out. */
function signatureOf(json: string, params: RequestLogEntry['params']): RequestLogEntry['signature'] {
  const stored = JSON.parse(json) as { ok: boolean; convention: SignConvention | null; signString?: string };
  return {
    ok: stored.ok,
    convention: stored.convention,
    signString: stored.signString ?? signStringOf(params, stored.convention),
  };
}

/** The filter as one condition per given criterion (since inclusive, until exclusive). */
function conditions(
  eb: ExpressionBuilder<Database, 'request_log'>,
  f: RequestLogFilter,
): Expression<SqlBool>[] {
  const all: Expression<SqlBool>[] = [];
  if (f.partner !== undefined) all.push(eb('partner', '=', f.partner));
  if (f.service !== undefined) all.push(eb('service', '=', f.service));
  if (f.ruleId !== undefined) all.push(eb('rule_id', '=', f.ruleId));
  if (f.requestId !== undefined) all.push(eb('request_id', '=', f.requestId));
  if (f.tradeId !== undefined) {
    all.push(eb.or([eb('alipay_trans_id', '=', f.tradeId), eb('partner_trans_id', '=', f.tradeId)]));
  }
  if (f.outcome !== undefined) {
    const { outcome } = f;
    // A prefix compare, not LIKE: SQLite's LIKE ignores case and `_` is a wildcard.
    all.push(
      outcome.endsWith(':')
        ? eb(sql<string>`substr(outcome, 1, ${[...outcome].length})`, '=', outcome)
        : eb('outcome', '=', outcome),
    );
  }
  if (f.since !== undefined) all.push(eb('received_at', '>=', toMillis(f.since)));
  if (f.until !== undefined) all.push(eb('received_at', '<', toMillis(f.until)));
  if (f.beforeId !== undefined) all.push(eb('id', '<', f.beforeId));
  return all;
}

export function pageLimit(requested: number | undefined): number {
  const limit = Math.trunc(requested ?? DEFAULT_REQUEST_LOG_LIMIT);
  return Number.isNaN(limit)
    ? DEFAULT_REQUEST_LOG_LIMIT
    : Math.min(Math.max(limit, 1), MAX_REQUEST_LOG_LIMIT);
}

/** Inserts the rows, REQUEST_LOG_INSERT_CHUNK per statement, in order (ids grow with it). */
export async function insertRequestLogRows(
  db: Kysely<Database>,
  rows: readonly Insertable<RequestLogTable>[],
): Promise<void> {
  for (let at = 0; at < rows.length; at += REQUEST_LOG_INSERT_CHUNK) {
    await db
      .insertInto('request_log')
      .values(rows.slice(at, at + REQUEST_LOG_INSERT_CHUNK))
      .execute();
  }
}

/** Deletes one merchant's entries; entries without a partner stay. */
export async function deleteRequestLogOf(db: Kysely<Database>, partner: string): Promise<void> {
  await db.deleteFrom('request_log').where('partner', '=', partner).execute();
}

/** Entries matching filter, newest first. */
export async function selectRequestLog(
  db: Kysely<Database>,
  filter: RequestLogFilter,
): Promise<RequestLogEntry[]> {
  const rows = await db
    .selectFrom('request_log')
    .selectAll()
    .where((eb) => eb.and(conditions(eb, filter)))
    .orderBy('id', 'desc')
    .limit(pageLimit(filter.limit))
    .execute();
  return rows.map(rowToEntry);
}

/** The entry with this id, if any. */
export async function selectRequestLogEntry(
  db: Kysely<Database>,
  id: number,
): Promise<RequestLogEntry | undefined> {
  const row = await db.selectFrom('request_log').selectAll().where('id', '=', id).executeTakeFirst();
  return row && rowToEntry(row);
}

/** How many entries match filter (its limit does not apply). */
export async function countRequestLogRows(db: Kysely<Database>, filter: RequestLogFilter): Promise<number> {
  const row = await db
    .selectFrom('request_log')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where((eb) => eb.and(conditions(eb, filter)))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Deletes all but the newest maxEntries entries, and those received before olderThan, in one
 * statement on the primary key (and the received_at index). Ids only grow, so "newest maxEntries"
 * is `id > max(id) - maxEntries`; gaps (rolled-back inserts, merchant resets) make it keep fewer.
 */
export async function pruneRequestLogRows(
  db: Kysely<Database>,
  maxEntries: number,
  olderThan: Date | undefined,
): Promise<number> {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 0)
    throw new RangeError(`maxEntries must be a non-negative integer, got ${maxEntries}`);
  const result = await db
    .deleteFrom('request_log')
    .where((eb) => {
      const beyondMax = sql<SqlBool>`id <= (select max(id) from request_log) - ${maxEntries}`;
      return olderThan === undefined
        ? beyondMax
        : eb.or([beyondMax, eb('received_at', '<', toMillis(olderThan))]);
    })
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
