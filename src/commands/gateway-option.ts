import type { CommandOutput } from './command-output.js';

/** The environment variable that names the gateway for `call`, `rules export|import` and `keys check`. */
export const GATEWAY_ENV = 'ALIPAY_MOCK_GATEWAY';

/** The gateway options as commander gives them: `--gateway`, and the deprecated `--gateway-url`. */
export interface GatewayOptions {
  gateway?: string | undefined;
  /** Deprecated spelling of `--gateway`, still accepted (hidden from the help). */
  gatewayUrl?: string | undefined;
}

/** The gateway the person named: on the command line, else in ALIPAY_MOCK_GATEWAY; warns about --gateway-url. */
export function namedGateway(
  opts: GatewayOptions,
  out: CommandOutput,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (opts.gatewayUrl !== undefined) {
    // stderr only: scripts reading stdout keep working.
    out.stderr('alipay-mock: --gateway-url is deprecated; use --gateway (or ALIPAY_MOCK_GATEWAY)\n');
  }
  const fromEnv = env[GATEWAY_ENV];
  return opts.gateway ?? opts.gatewayUrl ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
}
