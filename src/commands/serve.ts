import pino from 'pino';
import { SYSTEM_CLOCK } from '../clock.js';
import { loadConfig, type Config, type ConfigFlags } from '../config.js';
import { DEMO_BUYERS, DEMO_CONSOLE_LOGINS, DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../demo-accounts.js';
import { prettyLogStream } from '../ops/pretty-log-stream.js';
import { startServer, storeForHumans } from '../start-server.js';

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
