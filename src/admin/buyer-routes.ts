import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { CURRENCIES } from '../protocol/constants.js';
import { currencyDecimals } from '../ledger/money.js';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import type { Store } from '../storage/store.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';
import { buyerJson } from '../views/json-views.js';

const BALANCE = /^\d{1,13}(\.\d{1,2})?$/;

/**
 * Balances in the API are major-unit strings per currency ({"USD": "100.00"}); the store keeps minor
 * units. A partial record: zod 4's z.record with enum keys would require every currency.
 */
const balances = z
  .partialRecord(z.enum(CURRENCIES), z.string().regex(BALANCE, 'must be a non-negative amount'))
  .transform((map, ctx) => {
    const out: Record<string, number> = {};
    for (const [currency, text = '0'] of Object.entries(map)) {
      const [int = '0', frac = ''] = text.split('.');
      const decimals = currencyDecimals(currency);
      if (frac.length > decimals) {
        ctx.addIssue({ code: 'custom', path: [currency], message: `${currency} takes ${decimals} decimals` });
        return z.NEVER;
      }
      out[currency] = Number(int) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
    }
    return out;
  });

const fields = {
  loginId: z.string().min(3).max(64),
  name: z.string().min(1).max(128),
  wallet: z.enum(['ALIPAYCN', 'ALIPAYHK']),
  paymentCode: z
    .string()
    .regex(/^(2[5-9]|30)\d{14,22}$/, 'must be 16-24 digits starting with 25-30')
    .nullable(),
  isDefault: z.boolean(),
  balances,
};

/** Body of POST /api/buyers. */
export const CREATE_BUYER_SCHEMA = z
  .object({
    userId: z
      .string()
      .regex(/^2088\d{12}$/, 'must be 2088 followed by 12 digits')
      .optional(),
    ...fields,
    name: fields.name.optional(),
    wallet: fields.wallet.optional(),
    paymentCode: fields.paymentCode.optional(),
    isDefault: fields.isDefault.optional(),
    balances: balances.optional(),
  })
  .strict();

/** Body of PATCH /api/buyers/:userId. */
export const PATCH_BUYER_SCHEMA = z.object(fields).partial().strict();

/** A random id of the `2088` + 12 digits shape. */
export function generateUserId(): string {
  return `2088${String(randomInt(0, 1e6)).padStart(6, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

/** A random 18-digit payment code like the buyer's app shows (prefix 28). */
export function generatePaymentCode(): string {
  return `28${String(randomInt(0, 1e8)).padStart(8, '0')}${String(randomInt(0, 1e8)).padStart(8, '0')}`;
}

function conflict(err: unknown): never {
  if (err instanceof StoreConflictError)
    throw new Problem('conflict', 'a buyer with this userId or paymentCode exists');
  throw err;
}

// Buyers are sandbox accounts every merchant shares: merchant keys may read them, not change them.
const OPERATOR_ONLY = { config: { operatorOnly: true } };

/** /api/buyers: create, list, read, update, delete sandbox buyers. */
export function buyerRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/buyers', async () => ({ items: (await store.listBuyers()).map(buyerJson) }));

  app.post('/api/buyers', OPERATOR_ONLY, async (req, reply) => {
    const body = validateBody(CREATE_BUYER_SCHEMA, req.body);
    const created = await store
      .createBuyer({
        userId: body.userId ?? generateUserId(),
        loginId: body.loginId,
        name: body.name ?? body.loginId,
        wallet: body.wallet ?? 'ALIPAYCN',
        paymentCode: body.paymentCode === undefined ? generatePaymentCode() : body.paymentCode,
        isDefault: body.isDefault ?? false,
        balances: body.balances ?? {},
      })
      .catch(conflict);
    return reply.code(201).header('location', `/api/buyers/${created.userId}`).send(buyerJson(created));
  });

  app.get<{ Params: { userId: string } }>('/api/buyers/:userId', async (req) => {
    const b = await store.getBuyer(req.params.userId);
    if (!b) throw new Problem('not_found', `buyer ${req.params.userId} does not exist`);
    return buyerJson(b);
  });

  app.patch<{ Params: { userId: string } }>('/api/buyers/:userId', OPERATOR_ONLY, async (req) => {
    const patch = validateBody(PATCH_BUYER_SCHEMA, req.body);
    const updated = await store.updateBuyer(req.params.userId, patch).catch(conflict);
    if (!updated) throw new Problem('not_found', `buyer ${req.params.userId} does not exist`);
    return buyerJson(updated);
  });

  app.delete<{ Params: { userId: string } }>('/api/buyers/:userId', OPERATOR_ONLY, async (req, reply) => {
    if (!(await store.deleteBuyer(req.params.userId))) {
      throw new Problem('not_found', `buyer ${req.params.userId} does not exist`);
    }
    return reply.code(204).send();
  });
}
