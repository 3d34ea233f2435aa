#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from './config.js';
import { SIGN_HELP, signCommand, type SignCommandOptions } from './commands/sign.js';
import { CALL_HELP, DEFAULT_CALL_GATEWAY, callCommand, type CallCommandOptions } from './commands/call.js';
import { PROCESS_OUTPUT } from './commands/command-output.js';
import { UsageError } from './commands/usage-error.js';

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
  .option('--request-log-max <n>', 'request log keeps this many newest entries (default 100000)')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default info)')
  .option('--no-seed-demo', 'do not create the demo accounts on an empty store')
  .action(async (opts: Record<string, string | boolean | undefined>) => {
    // Loaded on demand: the server's dependencies (fastify, kysely, drivers) would add most of a
    // second to every `sign` and `call`.
    const { serveCommand } = await import('./commands/serve.js');
    await serveCommand(opts);
  });

program
  .command('sign')
  .description('print the canonical string to sign and the signature of parameters, or check a signature')
  .argument('[params...]', 'name=value pairs')
  .option('--key <md5 key>', 'MD5 key')
  .option('--private-key <file>', 'merchant RSA private key (PEM or bare Base64)')
  .option('--public-key <file>', 'RSA public key for --verify (default: derived from --private-key)')
  .option('--sign-type <type>', 'MD5, RSA or RSA2 (default MD5, RSA2 with --private-key)')
  .option('--charset <charset>', 'UTF-8 or GBK: the bytes that are signed', 'UTF-8')
  .option('--verify <signature>', 'check this signature instead: exit 0 when it matches, 1 when not')
  .addHelpText('after', SIGN_HELP)
  .action((params: string[], opts: SignCommandOptions) => {
    process.exitCode = signCommand(params, opts, PROCESS_OUTPUT);
  });

program
  .command('call')
  .description('sign and send one request to a gateway, print the answer (uses the client of this package)')
  .argument('<service>', 'full service name, or pay, cancel, refund, query')
  .argument('[params...]', 'name=value pairs (or --name value, see below)')
  .option('--gateway <url>', 'gateway URL', DEFAULT_CALL_GATEWAY)
  .option('--partner <pid>', 'merchant PID (default: the demo merchant)')
  .option('--key <md5 key>', 'MD5 key (default: the demo merchant key for a demo partner)')
  .option('--sign-type <type>', 'MD5, RSA or RSA2 (default MD5, RSA2 with --private-key)')
  .option('--private-key <file>', 'merchant RSA private key for RSA / RSA2')
  .option('--alipay-public-key <file>', "Alipay's RSA public key, to verify RSA answers")
  .option('--charset <charset>', 'UTF-8 or GBK', 'UTF-8')
  .option('--method <method>', 'POST (form body) or GET (query string)', 'POST')
  .option('--timeout <ms>', 'give up after this many ms', '15000')
  .allowUnknownOption()
  .allowExcessArguments()
  .addHelpText('after', CALL_HELP)
  .action(async (service: string, params: string[], opts: CallCommandOptions) => {
    process.exitCode = await callCommand(service, params, opts, PROCESS_OUTPUT);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError) {
    process.stderr.write(`alipay-mock: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`alipay-mock: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
