import type { NewRequestLogEntry, RequestLog, RequestLogBatch } from '../ports/request-log.js';
import type { GatewayOutcome } from './gateway-outcome.js';
import { capLogEntry } from './cap-log-entry.js';

/** Settings of the request log: how many entries are kept, and how often the buffer is written. */
export interface RequestLogOptions {
  maxEntries: number;
  /** Most bytes of raw request, parameters and answer one entry keeps (cap-log-entry.ts); default unbounded. */
  maxEntryBytes?: number;
  /**
   * Hand the buffer over this often (default 50 ms): an entry is in the log, for every instance and
   * the console, within this plus the write of one batch, well inside 250 ms, and that is all a
   * SIGKILL can take (docs/deployment.md). 100 ms left too little room: a stall of the process of
   * 150 ms put one batch 261 ms late (docs/performance-history.md).
   */
  flushMs?: number;
  /**
   * Hand over at once when this many entries wait (default 1 000): larger batches cost the log's
   * writer less per entry (one commit for all), this bounds how long one batch holds the CPU.
   */
  batchSize?: number;
  /**
   * At most this many entries wait while the store is behind (default 20 000); further ones are
   * dropped and reported through onError once the store has caught up, so a store slower than the
   * gateway costs log entries, never unbounded memory.
   */
  maxBuffered?: number;
}

/** Batches request log entries so the gateway never waits for the log. */
export interface RequestLogWriter {
  add(outcome: GatewayOutcome, response: { status: number; body: string }): void;
  /** Writes what is buffered now (tests, the admin API before reading, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A short label of what a request got: `SUCCESS`, `FAILED:SYSTEM_ERROR`, `F:ILLEGAL_SIGN`, `fault:reset`. */
export function outcomeLabel(o: GatewayOutcome): string {
  if (o.transport) return `fault:${o.transport}`;
  if (o.gatewayError) return `F:${o.gatewayError}`;
  if (o.businessError) return `${o.resultCode ?? 'FAILED'}:${o.businessError}`;
  return o.resultCode ?? 'UNKNOWN';
}

/** The longest raw query and raw body the log keeps, in characters (one per byte). */
const MAX_RAW_LENGTH = 65536;

/** The stored form of a gateway outcome. */
export function toLogEntry(
  o: GatewayOutcome,
  response: { status: number; body: string },
): NewRequestLogEntry {
  const param = (name: string) => o.params.find((p) => p.name === name)?.value ?? null;
  return {
    receivedAt: o.receivedAt,
    sandboxAt: o.sandboxAt ?? null,
    partner: o.partner ?? null,
    service: o.service ?? null,
    method: o.method,
    rawQuery: o.rawQuery.slice(0, MAX_RAW_LENGTH),
    rawBody: o.rawBody.slice(0, MAX_RAW_LENGTH),
    params: o.params,
    paramsFromWire:
      o.paramsFromWire === true && o.rawQuery.length <= MAX_RAW_LENGTH && o.rawBody.length <= MAX_RAW_LENGTH,
    charset: o.charset ?? null,
    signature: o.signature ?? null,
    gatewayError: o.gatewayError ?? null,
    resultCode: o.resultCode ?? null,
    error: o.businessError ?? null,
    reason: o.reason ?? null,
    ruleId: o.ruleId ?? null,
    ruleName: o.ruleName ?? null,
    alipayTransId: o.alipayTransId ?? null,
    partnerTransId: param('partner_trans_id') ?? param('out_trade_no'),
    outcome: outcomeLabel(o),
    responseStatus: response.status,
    // GBK bytes are kept as latin1 text (as the gateway holds them) so the exact bytes can be shown again.
    responseBody: response.body,
    durationMs: Math.round(o.durationMs * 100) / 100,
    diagnosis: o.diagnosis ?? null,
    requestId: o.requestId ?? null,
  };
}

/** Creates the writer: entries are flushed every flushMs (or at batchSize), then the log is pruned to maxEntries. */
export function createRequestLogWriter(
  store: RequestLog,
  opts: RequestLogOptions,
  onError: (err: unknown) => void,
): RequestLogWriter {
  // The store's batch keeps each entry in the store's own form from the moment it is added (SQLite:
  // bytes outside the heap), so the requests' objects are garbage once answered (docs/performance-history.md).
  let buffer: RequestLogBatch = store.newRequestLogBatch();
  let writing: Promise<void> = Promise.resolve();
  let dropped = 0;
  const maxBuffered = opts.maxBuffered ?? 20_000;

  // One flush waits at most: it takes whatever is buffered when its turn comes.
  let queued = false;
  function flush(): Promise<void> {
    if (queued) return writing;
    queued = true;
    writing = writing.then(async () => {
      queued = false;
      if (buffer.size === 0) return;
      const batch = buffer;
      buffer = store.newRequestLogBatch();
      try {
        // Pruned in the same transaction, so the log never stays above its bound (one commit for both).
        await store.appendRequestLog(batch, { maxEntries: opts.maxEntries });
        if (dropped > 0) {
          onError(new Error(`request log: ${dropped} entries dropped while the store was behind`));
          dropped = 0;
        }
      } catch (err) {
        onError(err);
      }
    });
    return writing;
  }

  const timer = setInterval(() => void flush(), opts.flushMs ?? 50);
  timer.unref();

  return {
    add(outcome, response) {
      if (buffer.size >= maxBuffered) {
        dropped += 1;
        return;
      }
      const entry = toLogEntry(outcome, response);
      buffer.add(opts.maxEntryBytes === undefined ? entry : capLogEntry(entry, opts.maxEntryBytes));
      if (buffer.size >= (opts.batchSize ?? 1000)) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      await store.pruneRequestLog({ maxEntries: opts.maxEntries }).catch(onError);
    },
  };
}
