import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { CURRENCIES, SERVICES, SIGN_TYPES } from '../protocol/constants.js';
import { normalizeRsaPublicKey } from '../protocol/sign.js';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import type { Store } from '../storage/store.js';
import type { Merchant } from '../ledger/model.js';
import { scopedPartner } from './principal.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';

const rsaKey = z
  .string()
  .nullable()
  .transform((text, ctx) => {
    if (text === null || text.trim() === '') return null;
    const pem = normalizeRsaPublicKey(text);
    if (!pem) {
      ctx.addIssue({ code: 'custom', message: 'not an RSA public key (PEM or bare Base64 X.509)' });
      return z.NEVER;
    }
    return pem;
  });

const fields = {
  name: z.string().min(1).max(128),
  md5Key: z.string().regex(/^[\x21-\x7e]{8,64}$/, 'must be 8 to 64 printable ASCII characters'),
  rsaPublicKey: rsaKey,
  signTypes: z.array(z.enum(SIGN_TYPES)).min(1),
  currencies: z.array(z.enum(CURRENCIES)).min(1),
  services: z.array(z.enum(SERVICES)),
};

/** Body of POST /api/merchants: any 16-digit partner id (the public vectors use 1000000000000000). */
export const CREATE_MERCHANT_SCHEMA = z
  .object({
    partner: z.string().regex(/^\d{16}$/, 'must be 16 digits'),
    name: fields.name.optional(),
    md5Key: fields.md5Key.optional(),
    rsaPublicKey: rsaKey.optional(),
    signTypes: fields.signTypes.optional(),
    currencies: fields.currencies.optional(),
    services: fields.services.optional(),
  })
  .strict();

/** Body of PATCH /api/merchants/:partner: any field but the partner id. */
export const PATCH_MERCHANT_SCHEMA = z.object(fields).partial().strict();

/** A fresh MD5 key like the sandbox portal issues: 32 lower-case letters and digits. */
export function generateMd5Key(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

/** JSON view of a merchant. */
export function merchantJson(m: Merchant) {
  return { ...m, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString() };
}

async function mustGet(store: Store, partner: string): Promise<Merchant> {
  const m = await store.getMerchant(partner);
  if (!m) throw new Problem('not_found', `merchant ${partner} does not exist`);
  return m;
}

/** /api/merchants: create, list, read, update, delete sandbox merchants (a merchant key: its own record only). */
export function merchantRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/merchants', async (req) => {
    const own = scopedPartner(req, undefined);
    const all = own === undefined ? await store.listMerchants() : [await store.getMerchant(own)];
    return { items: all.filter((m) => m !== undefined).map(merchantJson) };
  });

  app.post('/api/merchants', { config: { operatorOnly: true } }, async (req, reply) => {
    const body = validateBody(CREATE_MERCHANT_SCHEMA, req.body);
    try {
      const created = await store.createMerchant({
        partner: body.partner,
        name: body.name ?? `Merchant ${body.partner}`,
        md5Key: body.md5Key ?? generateMd5Key(),
        rsaPublicKey: body.rsaPublicKey ?? null,
        signTypes: body.signTypes ?? [...SIGN_TYPES],
        currencies: body.currencies ?? [...CURRENCIES],
        services: body.services ?? [...SERVICES],
      });
      return reply
        .code(201)
        .header('location', `/api/merchants/${created.partner}`)
        .send(merchantJson(created));
    } catch (err) {
      if (err instanceof StoreConflictError)
        throw new Problem('conflict', `merchant ${body.partner} already exists`);
      throw err;
    }
  });

  app.get<{ Params: { partner: string } }>('/api/merchants/:partner', async (req) =>
    merchantJson(await mustGet(store, req.params.partner)),
  );

  app.patch<{ Params: { partner: string } }>('/api/merchants/:partner', async (req) => {
    const patch = validateBody(PATCH_MERCHANT_SCHEMA, req.body);
    const updated = await store.updateMerchant(req.params.partner, patch);
    if (!updated) throw new Problem('not_found', `merchant ${req.params.partner} does not exist`);
    return merchantJson(updated);
  });

  app.delete<{ Params: { partner: string } }>(
    '/api/merchants/:partner',
    { config: { operatorOnly: true } },
    async (req, reply) => {
      if (!(await store.deleteMerchant(req.params.partner))) {
        throw new Problem('not_found', `merchant ${req.params.partner} does not exist`);
      }
      return reply.code(204).send();
    },
  );
}
