import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { parseWalletToken, tokenOfQrCode } from '../ledger/wallet-token.js';
import {
  orderTokenOf,
  WALLET_ACTIONS,
  WALLET_REFUSALS,
  type WalletDeps,
  type WalletResult,
} from '../domain/wallet.js';
import { ownsPartner } from './principal.js';
import { Problem } from './problem.js';
import { tradeJson } from '../views/json-views.js';
import { validateBody } from './validate-body.js';

/**
 * Body of POST /api/wallet/{pay,decline,expire}: the QR code (URL or token), or a merchant's trade by
 * either id (`partner` + `trade`, for alipay.acquire.create trades), and optionally the buyer.
 */
export const WALLET_ACTION_SCHEMA = z
  .object({
    qrCode: z.string().min(1).max(2000).optional(),
    partner: z
      .string()
      .regex(/^\d{16}$/, 'must be a 16-digit partner id')
      .optional(),
    trade: z.string().min(1).max(64).optional(),
    buyer: z
      .string()
      .regex(/^\d{16}$/, 'must be a 16-digit buyer user id')
      .optional(),
    /** The amount a buyer enters for a merchant QR code (docs/protocol.md §12.6); ignored for orders. */
    amount: z
      .string()
      .min(1)
      .max(32)
      .describe(
        'pay only: the amount a buyer enters for a merchant QR code, e.g. "12.30" in the code\'s trans_currency (required there; ignored for orders)',
      )
      .optional(),
  })
  .strict()
  .refine((b) => b.qrCode !== undefined || (b.partner !== undefined && b.trade !== undefined), {
    message: 'give qrCode, or partner and trade',
    path: ['qrCode'],
  });

function answer(result: WalletResult) {
  if (result.ok) return tradeJson(result.trade);
  const detail = WALLET_REFUSALS[result.reason];
  if (result.reason === 'amount_required' || result.reason === 'amount_invalid')
    throw new Problem('invalid_request', detail, [{ field: 'amount', message: detail }]);
  if (result.reason === 'not_found' || result.reason === 'buyer_not_found')
    throw new Problem('not_found', detail);
  throw new Problem('conflict', `${detail} (${result.reason})`);
}

/**
 * /api/wallet/…: the sandbox wallet without a browser (docs/admin-api.md, "Wallet"): a buyer pays,
 * declines or lets an order QR code time out, or pays an amount by a merchant QR code. A merchant's API
 * key reaches its own codes only.
 */
export function walletRoutes(app: FastifyInstance, deps: WalletDeps, kick?: () => void): void {
  for (const [verb, run] of Object.entries(WALLET_ACTIONS)) {
    app.post(`/api/wallet/${verb}`, async (req) => {
      const body = validateBody(WALLET_ACTION_SCHEMA, req.body);
      const code =
        body.qrCode ??
        (body.partner !== undefined && body.trade !== undefined && ownsPartner(req, body.partner)
          ? await orderTokenOf(deps.store, body.partner, body.trade)
          : undefined);
      const target = code === undefined ? undefined : parseWalletToken(tokenOfQrCode(code));
      // Codes of other merchants look like unknown ones: their existence is not revealed.
      if (code === undefined || !target || !ownsPartner(req, target.partner))
        throw new Problem('not_found', WALLET_REFUSALS.not_found);
      const result = await run(deps, code, body.buyer, body.amount);
      if (result.ok) kick?.();
      return answer(result);
    });
  }
}
