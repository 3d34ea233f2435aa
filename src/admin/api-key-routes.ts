import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../storage/store.js';
import type { ApiKey } from '../ports/api-keys.js';
import { hashApiKey } from './admin-auth.js';
import { generateApiKeyId, generateApiKeySecret } from './api-key-secret.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';

/** Body of POST /api/merchants/:partner/api-keys. */
export const CREATE_API_KEY_SCHEMA = z.object({ name: z.string().trim().min(1).max(120) }).strict();

/** JSON view of an API key: never the secret, never its hash. */
export function apiKeyJson(k: ApiKey) {
  return {
    id: k.id,
    partner: k.partner,
    name: k.name,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * /api/merchants/:partner/api-keys: per-merchant keys for the admin API. Only the operator creates
 * keys (a leaked key cannot mint more); a merchant may list and revoke its own (the `:partner`
 * check in principal.ts).
 */
export function apiKeyRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Params: { partner: string } }>('/api/merchants/:partner/api-keys', async (req) => ({
    items: (await store.listApiKeys(req.params.partner)).map(apiKeyJson),
  }));

  app.post<{ Params: { partner: string } }>(
    '/api/merchants/:partner/api-keys',
    { config: { operatorOnly: true } },
    async (req, reply) => {
      const { partner } = req.params;
      const { name } = validateBody(CREATE_API_KEY_SCHEMA, req.body);
      if (!(await store.getMerchant(partner)))
        throw new Problem('not_found', `merchant ${partner} does not exist`);
      const secret = generateApiKeySecret();
      const created = await store.createApiKey({
        id: generateApiKeyId(),
        partner,
        name,
        keyHash: hashApiKey(secret),
      });
      // The secret is in this answer only; no cache may keep it.
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...apiKeyJson(created), secret });
    },
  );

  app.delete<{ Params: { partner: string; id: string } }>(
    '/api/merchants/:partner/api-keys/:id',
    async (req, reply) => {
      if (!(await store.deleteApiKey(req.params.partner, req.params.id)))
        throw new Problem(
          'not_found',
          `API key ${req.params.id} of merchant ${req.params.partner} does not exist`,
        );
      return reply.code(204).send();
    },
  );
}
