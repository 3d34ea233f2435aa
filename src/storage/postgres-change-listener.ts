import pg from 'pg';
import { CHANGES_CHANNEL } from './migrations/007-change-notifications.js';
import type { StoreChange } from '../ports/change-feed.js';

/** A running LISTEN connection; close() ends it for good. */
export interface ChangeListener {
  /** Resolves once the first LISTEN is in place (changes committed from then on are heard). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Options of startChangeListener. */
export interface ChangeListenerOptions {
  /** Connection settings of the store's pool (search_path included). */
  config: pg.ClientConfig;
  /** The store's schema; undefined: the connection's current schema. */
  schema: string | undefined;
  onChange(change: StoreChange): void;
  /** First wait before reconnecting after the connection broke; doubles up to 30 s. */
  retryMs?: number | undefined;
}

const TOPICS: ReadonlySet<string> = new Set<StoreChange>(['rules', 'merchants']);
const MAX_RETRY_MS = 30_000;

/**
 * Keeps one dedicated connection (outside the pool: a pooled client cannot stay in LISTEN) listening on
 * the change channel, and calls onChange for this schema's notifications (the migration
 * 007-change-notifications sends them). When the connection breaks it reconnects with a growing wait and
 * then reports `resync`: changes made while it was away were not heard, so caches must reload.
 */
export function startChangeListener(opts: ChangeListenerOptions): ChangeListener {
  const firstRetryMs = opts.retryMs ?? 1000;
  let retryMs = firstRetryMs;
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let everConnected = false;
  /** LISTEN is in place on the current connection. */
  let listeningNow = false;
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    listening = resolve;
  });

  function scheduleReconnect(): void {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }

  async function connect(): Promise<void> {
    // Named so that pg_stat_activity tells the LISTEN connection apart from the pool's.
    const name = `alipay-mock listen${opts.schema === undefined ? '' : ` ${opts.schema}`}`;
    const c = new pg.Client({ ...opts.config, application_name: name });
    client = c;
    let broken = false;
    const onBroken = () => {
      if (broken) return;
      broken = true;
      // Until the next LISTEN, changes go unheard: caches that rely on hearing them must stop now.
      if (listeningNow) {
        listeningNow = false;
        opts.onChange('lost');
      }
      if (client === c) client = undefined;
      c.end().catch(() => undefined);
      scheduleReconnect();
    };
    // An error or end on an idle client would crash the process unhandled; reconnect instead.
    c.on('error', onBroken);
    c.on('end', onBroken);
    try {
      await c.connect();
      const schema = opts.schema ?? (await currentSchema(c));
      c.on('notification', (msg) => {
        const payload = msg.payload ?? '';
        const colon = payload.lastIndexOf(':');
        const topic = payload.slice(colon + 1);
        if (msg.channel === CHANGES_CHANNEL && payload.slice(0, colon) === schema && TOPICS.has(topic))
          opts.onChange(topic as StoreChange);
      });
      await c.query(`listen ${CHANGES_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      retryMs = firstRetryMs;
      listeningNow = true;
      // After a gap, what changed meanwhile is unknown: everything cached must be reloaded.
      if (everConnected) opts.onChange('resync');
      everConnected = true;
      listening();
    } catch {
      onBroken();
    }
  }

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => undefined);
      }
    },
  };
}

async function currentSchema(client: pg.Client): Promise<string> {
  const result = await client.query<{ schema: string | null }>('select current_schema() as schema');
  return result.rows[0]?.schema ?? 'public';
}
