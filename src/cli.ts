#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError } from './config.js';
import { SIGN_HELP, signCommand, type SignCommandOptions } from './commands/sign.js';
import { CALL_HELP, DEFAULT_CALL_GATEWAY, callCommand, type CallCommandOptions } from './commands/call.js';
import { PROCESS_OUTPUT } from './commands/command-output.js';
import { packageVersion } from './package-version.js';
import { DEFAULT_ADMIN_URL } from './commands/admin-api-client.js';
import { UsageError } from './commands/usage-error.js';
import type { RulesExportOptions } from './commands/rules-export.js';
import type { RulesImportOptions } from './commands/rules-import.js';
import type { KeysCheckOptions, KeysGenerateOptions } from './commands/keys.js';
import type { WalletCommandOptions } from './commands/wallet.js';
import type { CheckCommandOptions } from './commands/check.js';

/**
 * `--gateway <url>` (env ALIPAY_MOCK_GATEWAY) on every command that talks to a sandbox, and the older
 * spelling `--gateway-url`, hidden but still accepted so existing scripts keep working.
 */
function gatewayOption(command: Command, what: string, fallback?: string): Command {
  const defaults = fallback === undefined ? '' : `, default ${fallback}`;
  return command
    .option('--gateway <url>', `${what} (env ALIPAY_MOCK_GATEWAY${defaults})`)
    .addOption(new Option('--gateway-url <url>', 'deprecated: --gateway').hideHelp());
}

const program = new Command('alipay-mock')
  .description('Sandbox and mock service for the Alipay Global MAPI in-store payment gateway')
  .version(packageVersion(), '-V, --version', 'print the version of alipay-mock')
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
  .option(
    '--notify-schedule <waits>',
    'waits between notification attempts, e.g. 4m,10m,10m,1h,2h,6h,15h (default 2s,5s,15s,30s,1m,2m,5m)',
  )
  .option('--notify-timeout-ms <ms>', 'a notification attempt times out after this long (default 5000)')
  .option(
    '--notify-allow <list>',
    'hosts, addresses, CIDRs or loopback, private, public, any that notifications may go to (default loopback,private)',
  )
  .option('--notify-verify-validity-seconds <s>', 'notify_verify accepts a notify_id this long (default 300)')
  .option('--rules <file>', 'rule file (YAML or JSON), reloaded when it changes (env ALIPAY_MOCK_RULES)')
  .option(
    '--db-pool-size <n>',
    'PostgreSQL connections per instance (env ALIPAY_MOCK_DB_POOL_SIZE, default 10)',
  )
  .option(
    '--db-schema <name>',
    'PostgreSQL schema for the tables, created when missing (env ALIPAY_MOCK_DB_SCHEMA)',
  )
  .option(
    '--shutdown-grace-seconds <s>',
    'on SIGTERM, in-flight requests get this long to finish (env ALIPAY_MOCK_SHUTDOWN_GRACE_SECONDS, default 10)',
  )
  .option(
    '--allowed-hosts <names>',
    'without an admin token, Host names answered besides loopback ones, comma-separated (env ALIPAY_MOCK_ALLOWED_HOSTS)',
  )
  .option(
    '--trust-proxy <proxies>',
    'believe X-Forwarded-* of: true, a hop count, or addresses/CIDRs (env ALIPAY_MOCK_TRUST_PROXY, default false)',
  )
  .option(
    '--request-log-max-bytes <n>',
    'request log keeps at most this many bytes of requests and answers (default 1073741824)',
  )
  .option(
    '--max-held-connections <n>',
    'requests held open by hang and delay rules at once (env ALIPAY_MOCK_MAX_HELD_CONNECTIONS, default 512)',
  )
  .option(
    '--max-held-connections-per-merchant <n>',
    'the same for one merchant (env ALIPAY_MOCK_MAX_HELD_CONNECTIONS_PER_MERCHANT, default 64)',
  )
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

const call = program
  .command('call')
  .description('sign and send one request to a gateway, print the answer (uses the client of this package)')
  .argument('<service>', 'full service name, or pay, cancel, refund, query')
  .argument('[params...]', 'name=value pairs (or --name value, see below)');
gatewayOption(call, 'gateway URL', DEFAULT_CALL_GATEWAY)
  .option('--partner <pid>', 'merchant PID (default: the demo merchant)')
  .option('--key <md5 key>', 'MD5 key (default: the demo merchant key for a demo partner)')
  .option('--sign-type <type>', 'MD5, RSA or RSA2 (default MD5, RSA2 with --private-key)')
  .option('--private-key <file>', 'merchant RSA private key for RSA / RSA2')
  .option('--alipay-public-key <file>', "Alipay's RSA public key, to verify RSA answers")
  .option('--charset <charset>', 'UTF-8 or GBK', 'UTF-8')
  .option('--method <method>', 'POST (form body) or GET (query string)', 'POST')
  .option('--timeout <ms>', 'give up after this many ms', '15000')
  .option('--format <format>', 'xml (as received), pretty (indented XML) or json (the parsed fields)', 'xml')
  .allowUnknownOption()
  .allowExcessArguments()
  .addHelpText('after', CALL_HELP)
  .action(async (service: string, params: string[], opts: CallCommandOptions) => {
    process.exitCode = await callCommand(service, params, opts, PROCESS_OUTPUT);
  });

const rules = program
  .command('rules')
  .description('check, export and import rule files (docs/rules.md, "Rule files")');

rules
  .command('validate')
  .description('check a rule file: prints OK with counts, or each problem as file:line:col (exit 1)')
  .argument('<file>', 'YAML or JSON rule file')
  .action(async (file: string) => {
    const { rulesValidateCommand } = await import('./commands/rules-validate.js');
    process.exitCode = await rulesValidateCommand(file, PROCESS_OUTPUT);
  });

gatewayOption(
  rules.command('export').description("print a running sandbox's custom rules as a rule file"),
  'the sandbox: its URL or its gateway URL',
  DEFAULT_ADMIN_URL,
)
  .option('--partner <pid>', "only this merchant's rules")
  .option('--format <format>', 'yaml or json', 'yaml')
  .option('--token <token>', 'admin token (env ALIPAY_MOCK_ADMIN_TOKEN)')
  .action(async (opts: RulesExportOptions) => {
    const { rulesExportCommand } = await import('./commands/rules-export.js');
    process.exitCode = await rulesExportCommand(opts, PROCESS_OUTPUT);
  });

gatewayOption(
  rules
    .command('import')
    .description('create or replace the rules of a rule file in a running sandbox, through its admin API')
    .argument('<file>', 'YAML or JSON rule file (validated first; nothing is sent when it is invalid)'),
  'the sandbox: its URL or its gateway URL',
  DEFAULT_ADMIN_URL,
)
  .option('--token <token>', 'admin token (env ALIPAY_MOCK_ADMIN_TOKEN)')
  .option('--replace', "also delete the file's merchants' rules that the file does not name")
  .action(async (file: string, opts: RulesImportOptions) => {
    const { rulesImportCommand } = await import('./commands/rules-import.js');
    process.exitCode = await rulesImportCommand(file, opts, PROCESS_OUTPUT);
  });

const wallet = program
  .command('wallet')
  .description(
    'the sandbox wallet: a buyer pays, declines or lets time out a precreate QR code, or pays an amount by a merchant QR code (docs/admin-api.md)',
  );

for (const action of ['pay', 'decline', 'expire'] as const) {
  const cmd = wallet
    .command(action)
    .description(
      action === 'pay'
        ? 'pay the order (or, with --amount, a merchant QR code) as a sandbox buyer'
        : action === 'decline'
          ? 'scan and back out: the order keeps waiting'
          : 'close the order now, as its timeout would',
    )
    .argument(
      '<qr_code>',
      'the qr_code of a precreate answer, or a merchant qrcode (its URL names the sandbox)',
    );
  if (action !== 'expire') cmd.option('--buyer <user_id>', 'the sandbox buyer (default: the default buyer)');
  if (action === 'pay')
    cmd.option('--amount <amount>', 'the amount a buyer enters for a merchant QR code, e.g. 12.30');
  cmd
    .option('--gateway-url <url>', 'the sandbox (default: the one the QR code points to)')
    .option('--token <token>', 'admin token (env ALIPAY_MOCK_ADMIN_TOKEN)')
    .action(async (qrCode: string, opts: WalletCommandOptions) => {
      const { walletCommand } = await import('./commands/wallet.js');
      process.exitCode = await walletCommand(action, qrCode, opts, PROCESS_OUTPUT);
    });
}

const keys = program
  .command('keys')
  .description('merchant RSA keys: generate a pair, check a pair (docs/client.md, "CLI")');

keys
  .command('generate')
  .description(
    'write a new RSA key pair: private.pem (PKCS#8), public.pem (SPKI) and their bare Base64 forms',
  )
  .option('--out-dir <dir>', 'folder to write the four files to', '.')
  .option('--bits <n>', 'key size', '2048')
  .option('--force', 'replace existing files')
  .action(async (opts: KeysGenerateOptions) => {
    const { keysGenerateCommand } = await import('./commands/keys.js');
    process.exitCode = await keysGenerateCommand(opts, PROCESS_OUTPUT);
  });

gatewayOption(
  keys
    .command('check')
    .description(
      'check that a private and a public key belong together and that the sandbox accepts the public key',
    )
    .requiredOption('--private <file>', 'private key (PEM or bare Base64)')
    .requiredOption('--public <file>', 'public key (PEM or bare Base64)'),
  'with --partner: also ask this gateway to verify a request signed with the private key',
)
  .option('--partner <pid>', 'the merchant the gateway checks the signature for')
  .action(async (opts: KeysCheckOptions) => {
    const { keysCheckCommand } = await import('./commands/keys.js');
    process.exitCode = await keysCheckCommand(opts, PROCESS_OUTPUT);
  });

const check = program
  .command('check')
  .description(
    'the integration check: does the POS react correctly to each outcome (docs/integration-check.md)',
  );

check
  .command('start')
  .description('start a check run for a merchant; prints what triggers each scenario (prefix or amount)')
  .requiredOption('--partner <pid>', 'the merchant whose POS is checked')
  .option('--scenarios <ids>', 'comma-separated scenario ids (default: all)')
  .option(
    '--keyed-by <key>',
    'prefix: trade ids under each scenario prefix trigger it; amount: amounts with its cents (*.61 …) do, where it has an amount key',
    'prefix',
  )
  .option('--gateway-url <url>', 'the sandbox', DEFAULT_ADMIN_URL)
  .option('--token <token>', 'admin token (env ALIPAY_MOCK_ADMIN_TOKEN)')
  .action(async (opts: CheckCommandOptions) => {
    const { checkStartCommand } = await import('./commands/check.js');
    process.exitCode = await checkStartCommand(opts, PROCESS_OUTPUT);
  });

check
  .command('report')
  .description("print a check run's verdicts (exit 1 when a scenario failed)")
  .requiredOption('--partner <pid>', 'the merchant whose POS is checked')
  .option('--run <id>', "the run (default: the merchant's newest)")
  .option('--junit <file>', 'also write the report as JUnit XML')
  .option('--end', 'end the run first: store its report and disarm its rules')
  .option('--gateway-url <url>', 'the sandbox', DEFAULT_ADMIN_URL)
  .option('--token <token>', 'admin token (env ALIPAY_MOCK_ADMIN_TOKEN)')
  .action(async (opts: CheckCommandOptions) => {
    const { checkReportCommand } = await import('./commands/check.js');
    process.exitCode = await checkReportCommand(opts, PROCESS_OUTPUT);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError) {
    process.stderr.write(`alipay-mock: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`alipay-mock: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
