import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import type { Store } from '../storage/store.js';
import type { StoredRule } from '../rules/stored-rule.js';
import { RULE_SCHEMA, formatZodIssues, type Rule } from '../rules/rule-schema.js';
import { DEFAULT_RULES } from '../rules/default-rules.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import {
  createCustomRule,
  deleteCustomRule,
  isDefaultRuleId,
  patchCustomRule,
  replaceCustomRule,
  resetCustomRule,
  switchDefaultRule,
} from '../domain/custom-rules.js';
import { assertPartnerAccess, ownsPartner, scopedPartner } from './principal.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';

/** JSON view of a stored rule: the rule as written plus its counters. */
export function ruleJson(r: StoredRule) {
  return {
    id: r.id,
    partner: r.partner,
    service: r.service,
    name: r.name,
    priority: r.priority,
    enabled: r.enabled,
    when: r.when,
    then: r.then,
    times: r.times,
    hits: r.hits,
    remaining: r.times === null ? null : Math.max(0, r.times - r.hits),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Validates a custom rule body with the same schema as rule files and the console. */
export function parseRule(body: unknown): Rule & { partner: string } {
  const result = RULE_SCHEMA.safeParse(body ?? {});
  if (!result.success) {
    const errors = formatZodIssues(result.error).map((i) => ({ field: i.path, message: i.message }));
    throw new Problem(
      'invalid_request',
      `rule is invalid: ${errors[0]?.field}: ${errors[0]?.message}`,
      errors,
    );
  }
  if (result.data.partner === null) {
    throw new Problem('invalid_request', 'a custom rule needs a partner (default rules are built in)', [
      { field: 'partner', message: 'required' },
    ]);
  }
  return result.data as Rule & { partner: string };
}

/**
 * The answer to an id in use, the same whoever uses it: rule ids are one namespace for the whole
 * sandbox, and the answer must not tell a merchant that another one has a rule of that id.
 */
export function ruleIdTaken(id: string): string {
  return `rule id ${id} cannot be used: choose another id`;
}

/** The rule with this id, when the caller may see it (another merchant's rule is answered as missing). */
async function mustGetRule(req: FastifyRequest, store: Store, id: string): Promise<StoredRule> {
  const r = await store.getRule(id);
  if (!r || !ownsPartner(req, r.partner)) throw new Problem('not_found', `rule ${id} does not exist`);
  return r;
}

async function mustHaveMerchant(store: Store, partner: string): Promise<void> {
  if (!(await store.getMerchant(partner)))
    throw new Problem('invalid_request', `merchant ${partner} does not exist`, [
      { field: 'partner', message: 'unknown merchant' },
    ]);
}

/**
 * The body's `partner`, when it names one, must be the rule's: a merchant key naming another merchant
 * is 403 like everywhere (docs/admin-api.md), and a rule never moves to another merchant (400).
 */
function assertSamePartner(req: FastifyRequest, rule: StoredRule): void {
  const named = (req.body as { partner?: unknown } | null | undefined)?.partner;
  if (named === undefined || named === rule.partner) return;
  if (typeof named === 'string') assertPartnerAccess(req, named);
  throw new Problem(
    'invalid_request',
    `rule ${rule.id} belongs to ${rule.partner}; its partner cannot change`,
    [{ field: 'partner', message: `must be ${rule.partner} or left out` }],
  );
}

/** Body of PUT /api/merchants/:partner/default-rules/:id. */
export const SWITCH_SCHEMA = z.object({ enabled: z.boolean() }).strict();

/** /api/rules (custom rules) and /api/default-rules (the built-in table and per-merchant switches). */
export function ruleRoutes(app: FastifyInstance, store: Store, engine: RuleEngine): void {
  app.get<{ Querystring: { partner?: string } }>('/api/rules', async (req) => ({
    items: (await store.listRules({ partner: scopedPartner(req, req.query.partner) })).map(ruleJson),
  }));

  app.post('/api/rules', async (req, reply) => {
    const rule = parseRule(req.body);
    assertPartnerAccess(req, rule.partner);
    await mustHaveMerchant(store, rule.partner);
    try {
      const created = await createCustomRule(store, engine, rule);
      return reply.code(201).header('location', `/api/rules/${created.id}`).send(ruleJson(created));
    } catch (err) {
      if (err instanceof StoreConflictError) throw new Problem('conflict', ruleIdTaken(rule.id ?? ''));
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/api/rules/:id', async (req) =>
    ruleJson(await mustGetRule(req, store, req.params.id)),
  );

  app.put<{ Params: { id: string } }>('/api/rules/:id', async (req) => {
    const existing = await mustGetRule(req, store, req.params.id);
    assertSamePartner(req, existing);
    const rule = parseRule({ ...(req.body as object), id: existing.id, partner: existing.partner });
    return ruleJson((await replaceCustomRule(store, engine, existing.id, rule))!);
  });

  app.patch<{ Params: { id: string } }>('/api/rules/:id', async (req) => {
    const stored = await mustGetRule(req, store, req.params.id);
    assertSamePartner(req, stored);
    const existing = ruleJson(stored);
    const { hits: _h, remaining: _r, createdAt: _c, updatedAt: _u, ...current } = existing;
    // The JSON view writes absent lifetimes as null; the rule schema wants them left out.
    const merged = { ...current, ...(req.body as object), id: existing.id, partner: existing.partner };
    const rule = parseRule(
      Object.fromEntries(Object.entries(merged).filter(([k, v]) => v !== null || k === 'partner')),
    );
    return ruleJson((await replaceCustomRule(store, engine, existing.id, rule))!);
  });

  app.delete<{ Params: { id: string } }>('/api/rules/:id', async (req, reply) => {
    await mustGetRule(req, store, req.params.id);
    if (!(await deleteCustomRule(store, engine, req.params.id)))
      throw new Problem('not_found', `rule ${req.params.id} does not exist`);
    return reply.code(204).send();
  });

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/api/rules/:id/${verb}`, async (req) => {
      await mustGetRule(req, store, req.params.id);
      return ruleJson((await patchCustomRule(store, engine, req.params.id, { enabled }))!);
    });
  }

  app.post<{ Params: { id: string } }>('/api/rules/:id/reset', async (req) => {
    await mustGetRule(req, store, req.params.id);
    await resetCustomRule(store, engine, req.params.id);
    return ruleJson(await mustGetRule(req, store, req.params.id));
  });

  app.get<{ Querystring: { partner?: string } }>('/api/default-rules', async (req) => {
    const partner = scopedPartner(req, req.query.partner || undefined);
    const off = new Set(partner ? await store.listDisabledDefaultRules(partner) : []);
    return { items: DEFAULT_RULES.map((r) => ({ ...r, enabled: !off.has(r.id) })) };
  });

  app.put<{ Params: { partner: string; id: string } }>(
    '/api/merchants/:partner/default-rules/:id',
    async (req) => {
      const { enabled } = validateBody(SWITCH_SCHEMA, req.body);
      if (!isDefaultRuleId(req.params.id)) {
        throw new Problem('not_found', `default rule ${req.params.id} does not exist`);
      }
      await mustHaveMerchant(store, req.params.partner);
      await switchDefaultRule(store, engine, req.params.partner, req.params.id, enabled);
      return { id: req.params.id, partner: req.params.partner, enabled };
    },
  );
}
