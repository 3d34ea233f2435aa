import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { SYSTEM_CLOCK, type Clock } from './clock.js';
import { openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';
import { createApp, type AppParts } from './app.js';
import { loadAlipayKeys } from './protocol/alipay-keys.js';
import type { AlipayKeys } from './protocol/alipay-keys.js';
import { seedDemoAccounts } from './demo-accounts.js';

/** A started sandbox: its address and how to stop it. */
export interface RunningSandbox {
  app: FastifyInstance;
  /** What the app is built from, for in-process tools (startSandbox, tests). */
  parts: AppParts;
  store: Store;
  config: Config;
  url: string;
  close(): Promise<void>;
  /**
   * Graceful stop: no new connections, in-flight requests get up to graceMs to finish (their
   * connections then close), then close(): request log flushed, store closed.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** Options of startServer for in-process use. */
export interface StartServerOptions {
  /** Makes the "Alipay" key pair when the store has none (default: generate one now). */
  generateAlipayKeys?: (() => AlipayKeys | Promise<AlipayKeys>) | undefined;
  /** Where the log lines go (default: stdout). */
  logStream?: { write(line: string): void } | undefined;
}

/** The store URL without its credentials, for messages and the banner. */
export function storeForHumans(config: Config): string {
  const url = config.db.replace(/\/\/[^@/]*@/, '//***@');
  return config.dbSchema ? `${url} (schema ${config.dbSchema})` : url;
}

/** What a start-up failure means for the person who typed the command. */
function startError(what: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(`${what}: ${reason}`, { cause: err });
}

/** Opens the store, seeds the demo accounts on an empty store, and listens. */
export async function startServer(
  config: Config,
  clock: Clock = SYSTEM_CLOCK,
  opts: StartServerOptions = {},
): Promise<RunningSandbox> {
  const store = await openStore(config.db, { poolSize: config.dbPoolSize, schema: config.dbSchema }).catch(
    (err: unknown) => {
      throw startError(`cannot open the store ${storeForHumans(config)}`, err);
    },
  );
  try {
    const seeded = config.seedDemo ? await seedDemoAccounts(store) : false;
    const alipayKeys = await loadAlipayKeys(store, opts.generateAlipayKeys);
    const { app, parts } = await createApp({ store, config, clock, alipayKeys, logStream: opts.logStream });
    await app.listen({ port: config.port, host: config.host }).catch(async (err: unknown) => {
      await app.close();
      if ((err as { code?: unknown } | null)?.code !== 'EADDRINUSE') throw err;
      throw startError(
        `${config.host}:${config.port} is already in use (another sandbox?); choose another port with --port or ALIPAY_MOCK_PORT`,
        err,
      );
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    if (seeded) app.log.info('created the demo merchants and buyers (see README: "Demo accounts")');
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await store.close();
    };
    return {
      app,
      parts,
      store,
      config,
      url: `http://${host}:${port}`,
      close,
      shutdown: async (graceMs) => {
        // Stop accepting first (idle kept-alive connections close too), then let in-flight requests end.
        app.server.close();
        const left = await parts.inFlight.drain(graceMs);
        if (left > 0) app.log.warn({ requests: left, graceMs }, 'closing connections still in flight');
        await close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
