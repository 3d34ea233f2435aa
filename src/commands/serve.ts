import { loadConfig, type Config, type ConfigFlags } from '../config.js';
import { DEMO_BUYERS, DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../demo-accounts.js';
import { startServer, storeForHumans } from '../start-server.js';

/** The start-up banner: where the gateway is and the demo credentials. */
export function banner(url: string, config: Config): string {
  const lines = [
    `alipay-mock listening on ${url}`,
    `  gateway    ${url}/gateway.do`,
    `  admin API  ${url}/api ${config.adminToken ? '(bearer token required)' : '(loopback only)'}`,
    `  store      ${storeForHumans(config)}`,
    ...(config.rules === undefined ? [] : [`  rules      ${config.rules} (reloaded when it changes)`]),
    '',
    'Demo merchants:',
    `  ${DEMO_MERCHANT.name}: partner ${DEMO_MERCHANT.partner}, MD5 key ${DEMO_MERCHANT.md5Key}`,
    `  ${DEMO_HK_MERCHANT.name}: partner ${DEMO_HK_MERCHANT.partner}, MD5 key ${DEMO_HK_MERCHANT.md5Key}`,
    'Demo buyers (payment codes):',
    ...DEMO_BUYERS.map((b) => `  ${(b.paymentCode ?? 'any other code').padEnd(20)} ${b.name}`),
  ];
  return lines.join('\n');
}

/** `alipay-mock serve`: runs until SIGINT/SIGTERM, then stops accepting, finishes in-flight requests and closes the store. */
export async function serveCommand(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  const sandbox = await startServer(config);
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
