import { adminTokenFromEnv } from '../config.js';
import { AdminApiError, createAdminApiClient, DEFAULT_ADMIN_URL } from './admin-api-client.js';
import type { CommandOutput } from './command-output.js';
import { UsageError } from './usage-error.js';

/** What the sandbox wallet can do with an order QR code (docs/admin-api.md, "Wallet"). */
export const WALLET_ACTIONS = ['pay', 'decline', 'expire'] as const;

/** Options of `alipay-mock wallet <action>`, as commander gives them. */
export interface WalletCommandOptions {
  buyer?: string;
  /** The amount to pay by a merchant QR code (`pay` only). */
  amount?: string;
  gatewayUrl?: string;
  token?: string;
}

/** The sandbox a QR code belongs to: the origin of its URL, else the default sandbox. */
function sandboxOf(qrCode: string): string {
  try {
    const url = new URL(qrCode);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : DEFAULT_ADMIN_URL;
  } catch {
    return DEFAULT_ADMIN_URL;
  }
}

/**
 * `alipay-mock wallet pay|decline|expire <qr_code>`: a sandbox buyer acts on a precreate QR code through
 * the admin API of the sandbox the code points to, and the trade's new state is printed. `pay
 * <merchant qrcode> --amount 12.30` pays an amount by a merchant QR code: a new trade each time.
 */
export async function walletCommand(
  action: (typeof WALLET_ACTIONS)[number],
  qrCode: string,
  opts: WalletCommandOptions,
  out: CommandOutput,
): Promise<number> {
  if (opts.buyer !== undefined && !/^\d{16}$/.test(opts.buyer))
    throw new UsageError(`--buyer must be a 16-digit buyer user id, got "${opts.buyer}"`);
  if (opts.amount !== undefined && action !== 'pay') throw new UsageError('--amount goes with pay only');
  if (opts.amount !== undefined && !/^\d{1,12}(\.\d{1,12})?$/.test(opts.amount))
    throw new UsageError(`--amount must be a decimal amount such as 12.30, got "${opts.amount}"`);
  const client = createAdminApiClient(
    opts.gatewayUrl ?? sandboxOf(qrCode),
    opts.token ?? adminTokenFromEnv(),
  );
  try {
    const body =
      action === 'expire'
        ? { qrCode }
        : { qrCode, buyer: opts.buyer, ...(opts.amount === undefined ? {} : { amount: opts.amount }) };
    const trade = (await client.call('POST', `/api/wallet/${action}`, body)) as Record<string, unknown>;
    const buyer =
      typeof trade['buyerUserId'] === 'string' && trade['buyerUserId']
        ? ` buyer ${String(trade['buyerUserId'])}`
        : '';
    out.stdout(
      `${String(trade['status'])} ${String(trade['partnerTransId'])} (trade_no ${String(trade['alipayTransId'])}) ` +
        `${String(trade['amount'])} ${String(trade['transCurrency'])}${buyer}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof AdminApiError)) throw err;
    out.stderr(`alipay-mock: ${err.message}\n`);
    return 1;
  }
}
