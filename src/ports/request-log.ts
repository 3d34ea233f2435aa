/** One gateway request as the request log keeps it. */
export interface RequestLogEntry {
  id: number;
  receivedAt: Date;
  /** The merchant's sandbox time when the request came (null before the merchant was known, and for entries logged before it was kept). */
  sandboxAt: Date | null;
  partner: string | null;
  service: string | null;
  method: string;
  rawQuery: string;
  rawBody: string;
  params: Array<{ name: string; value: string; source: 'query' | 'body' }>;
  charset: string | null;
  /** The signature check: whether and how it matched, the string the sandbox computed. */
  signature: { ok: boolean; convention: string | null; signString: string } | null;
  gatewayError: string | null;
  resultCode: string | null;
  error: string | null;
  reason: string | null;
  ruleId: string | null;
  ruleName: string | null;
  alipayTransId: string | null;
  partnerTransId: string | null;
  /** Short outcome label: `SUCCESS`, `FAILED:SYSTEM_ERROR`, `F:ILLEGAL_SIGN`, `fault:reset` … */
  outcome: string;
  responseStatus: number;
  responseBody: string;
  durationMs: number;
  /** For a request refused with ILLEGAL_SIGN: the likely reason in plain words, else null. */
  diagnosis: string | null;
  /** The `X-Request-Id` the gateway answered with (null for entries logged before it was kept). */
  requestId: string | null;
}

/** A request log entry before the store numbers it; `diagnosis`, `requestId` and `sandboxAt` may be left out (null). */
export type NewRequestLogEntry = Omit<RequestLogEntry, 'id' | 'diagnosis' | 'requestId' | 'sandboxAt'> & {
  diagnosis?: string | null;
  requestId?: string | null;
  sandboxAt?: Date | null;
  /**
   * True when `params` are what decoding rawQuery and rawBody with `charset` gives, and
   * `signature.signString` is the string of its convention over them: a store may then keep the raw
   * texts alone and decode them again when the entry is read (the SQLite journal does).
   */
  paramsFromWire?: boolean;
};

/** Filter of the request log (admin API, console, toolkit); all given criteria must hold. */
export interface RequestLogFilter {
  partner?: string | undefined;
  service?: string | undefined;
  /** Matches alipayTransId or partnerTransId. */
  tradeId?: string | undefined;
  ruleId?: string | undefined;
  /** Exact outcome label, or a prefix ending in ':' (e.g. `F:`). */
  outcome?: string | undefined;
  /** The `X-Request-Id` of the answer. */
  requestId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Entries with an id below this (paging newest first). */
  beforeId?: number | undefined;
  limit?: number | undefined;
}

/**
 * Entries gathered for one append, each kept in the store's own form from the moment it is added (the
 * SQLite store's: bytes outside the heap, src/storage/row-buffer.ts). Made by newRequestLogBatch.
 */
export interface RequestLogBatch {
  add(entry: NewRequestLogEntry): void;
  /** Entries added so far. */
  readonly size: number;
}

/** The bounded log of gateway requests (written in batches, read by the admin API, console and toolkit). */
export interface RequestLog {
  /**
   * Appends entries (a list, or a batch of this store's) in one statement; a batch is spent. With
   * maxEntries it also prunes the log to its newest maxEntries in the same transaction: one commit,
   * where SQLite writes every page that either changed (the same index pages) once
   * (docs/performance-history.md).
   */
  appendRequestLog(
    entries: NewRequestLogEntry[] | RequestLogBatch,
    opts?: { maxEntries?: number },
  ): Promise<void>;
  /** An empty batch for appendRequestLog (the gateway's request log writer fills one between hand-overs). */
  newRequestLogBatch(): RequestLogBatch;
  /** Newest first; limit default 50, max 500. */
  listRequestLog(filter: RequestLogFilter): Promise<RequestLogEntry[]>;
  getRequestLogEntry(id: number): Promise<RequestLogEntry | undefined>;
  countRequestLog(filter: RequestLogFilter): Promise<number>;
  /** Deletes all but the newest maxEntries entries and those older than `olderThan`; returns how many. */
  pruneRequestLog(opts: { maxEntries: number; olderThan?: Date | undefined }): Promise<number>;
}
