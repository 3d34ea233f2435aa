#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from './config.js';
import { serveCommand } from './commands/serve.js';

const program = new Command('alipay-mock')
  .description('Sandbox and mock service for the Alipay Global MAPI in-store payment gateway')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the sandbox (gateway, admin API)')
  .option('--port <port>', 'port to listen on (env ALIPAY_MOCK_PORT, default 8080)')
  .option('--host <host>', 'address to bind (env ALIPAY_MOCK_HOST, default 127.0.0.1)')
  .option('--db <url>', 'storage URL: sqlite:./file.db, sqlite::memory: or postgres://… (env ALIPAY_MOCK_DB)')
  .option('--admin-token <token>', 'bearer token for the admin API (env ALIPAY_MOCK_ADMIN_TOKEN)')
  .option('--body-limit <bytes>', 'largest request body and URL (env ALIPAY_MOCK_BODY_LIMIT, default 262144)')
  .option('--unpaid-timeout-seconds <s>', 'unpaid trades close after this long (default 180)')
  .option('--refund-window-days <d>', 'paid trades are refundable this long (default 365)')
  .option('--rates <list>', 'CNY rates, e.g. USD=7.1234,HKD=0.9152 (env ALIPAY_MOCK_RATES)')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default info)')
  .option('--no-seed-demo', 'do not create the demo accounts on an empty store')
  .action(async (opts: Record<string, string | boolean | undefined>) => {
    await serveCommand(opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`alipay-mock: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`alipay-mock: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
