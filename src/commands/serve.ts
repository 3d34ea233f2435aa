import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config, type ConfigFlags } from '../config.js';
import { SYSTEM_CLOCK, type Clock } from '../clock.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/store.js';
import { createApp } from '../app.js';
import { loadAlipayKeys } from '../alipay-keys.js';
import type { AlipayKeys } from '../gateway/render-reply.js';
import {
  DEMO_BUYERS,
  DEMO_CONSOLE_LOGINS,
  DEMO_HK_MERCHANT,
  DEMO_MERCHANT,
  seedDemoAccounts,
} from '../demo-accounts.js';
import { prettyLogStream } from '../ops/pretty-log-stream.js';
import pino from 'pino';
import { appParts } from '../app.js';

/** A started sandbox: its address and how to stop it. */
export interface RunningSandbox {
  app: FastifyInstance;
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
function storeForHumans(config: Config): string {
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
    const app = await createApp({ store, config, clock, alipayKeys, logStream: opts.logStream });
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
      store,
      config,
      url: `http://${host}:${port}`,
      close,
      shutdown: async (graceMs) => {
        // Stop accepting first (idle kept-alive connections close too), then let in-flight requests end.
        app.server.close();
        const left = (await appParts(app)?.inFlight.drain(graceMs)) ?? 0;
        if (left > 0) app.log.warn({ requests: left, graceMs }, 'closing connections still in flight');
        await close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** The start-up banner: where the gateway and the console are, and the demo credentials. */
export function banner(url: string, config: Config): string {
  const names = new Map([DEMO_MERCHANT, DEMO_HK_MERCHANT].map((m) => [m.partner, m.name]));
  const width = Math.max(...DEMO_CONSOLE_LOGINS.map((l) => `${l.email} / ${l.password}`.length));
  const lines = [
    `alipay-mock listening on ${url}`,
    `  gateway    ${url}/gateway.do`,
    `  console    ${url}/ (operator: ${config.adminToken ? 'the admin token' : 'empty token, from loopback only'})`,
    `  admin API  ${url}/api ${config.adminToken ? '(bearer token required)' : '(loopback only)'}`,
    `  store      ${storeForHumans(config)}`,
    ...(config.rules === undefined ? [] : [`  rules      ${config.rules} (reloaded when it changes)`]),
    '',
    'Demo merchants:',
    `  ${DEMO_MERCHANT.name}: partner ${DEMO_MERCHANT.partner}, MD5 key ${DEMO_MERCHANT.md5Key}`,
    `  ${DEMO_HK_MERCHANT.name}: partner ${DEMO_HK_MERCHANT.partner}, MD5 key ${DEMO_HK_MERCHANT.md5Key}`,
    'Demo buyers (payment codes):',
    ...DEMO_BUYERS.map((b) => `  ${(b.paymentCode ?? 'any other code').padEnd(20)} ${b.name}`),
    ...(config.seedDemo
      ? [
          'Demo console logins:',
          ...DEMO_CONSOLE_LOGINS.map(
            (l) => `  ${`${l.email} / ${l.password}`.padEnd(width)}   ${names.get(l.partner) ?? l.partner}`,
          ),
        ]
      : []),
  ];
  return lines.join('\n');
}

/** `alipay-mock serve`: runs until SIGINT/SIGTERM, then stops accepting, finishes in-flight requests and closes the store. */
export async function serveCommand(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  // stdout carries the banner alone; the log goes to stderr, as JSON lines for a log collector, or
  // readable lines when a person watches it on a terminal.
  const logStream = process.stderr.isTTY ? prettyLogStream(process.stderr) : pino.destination({ fd: 2 });
  const sandbox = await startServer(config, SYSTEM_CLOCK, { logStream });
  process.stdout.write(`${banner(sandbox.url, config)}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    // A second signal while draining means "now": an operator who presses Ctrl-C twice.
    if (stopping) {
      sandbox.app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    sandbox.app.log.info({ signal, graceSeconds: config.shutdownGraceSeconds }, 'shutting down');
    sandbox.shutdown(config.shutdownGraceSeconds * 1000).then(
      () => process.exit(0),
      (err: unknown) => {
        sandbox.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
