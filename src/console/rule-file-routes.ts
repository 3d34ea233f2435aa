import type { FastifyInstance } from 'fastify';
import { createCustomRule, replaceCustomRule } from '../domain/custom-rules.js';
import { parseRuleFile } from '../rule-files/rule-file.js';
import { RULE_FILE_FORMATS, renderRuleFile, type RuleFileFormat } from '../rule-files/rule-file-render.js';
import { merchantBase } from './console-layout.js';
import { formOf, queryOf, seeOther, type ConsoleContext } from './console-page.js';
import { rulesPage } from './rule-routes.js';
import { SERVICE_TABS } from './rule-form.js';

/** Largest rule file the console imports (the form body limit applies first). */
const MAX_FILE_CHARS = 200_000;

/** GET …/rules/export (YAML or JSON) and POST …/rules/import of the merchant's rule file (docs/rules.md). */
export function ruleFileRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store, rules: engine } = ctx.deps;

  app.get('/rules/export', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const format: RuleFileFormat = RULE_FILE_FORMATS.find((f) => f === queryOf(req)['format']) ?? 'yaml';
    // Highest priority first and, within one priority, oldest first: imported in file order, the
    // newest is created last and keeps winning ties.
    const rules = (await store.listRules({ partner: merchant.partner })).sort(
      (a, b) => b.priority - a.priority || a.seq - b.seq,
    );
    const text = renderRuleFile(rules, format, `alipay-mock custom rules of merchant ${merchant.partner}`);
    return reply
      .type(format === 'json' ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8')
      .header('content-disposition', `attachment; filename="rules-${merchant.partner}.${format}"`)
      .send(text);
  });

  app.post('/rules/import', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const text = (formOf(req)['file'] ?? '').slice(0, MAX_FILE_CHARS);
    const tab = SERVICE_TABS[0]!;
    const parsed = parseRuleFile(text);
    if (!parsed.ok) {
      const problems = parsed.issues.map(
        (i) => `line ${i.line}, column ${i.column}: ${i.path}: ${i.message}`,
      );
      return rulesPage(ctx, req, reply, tab, { text, problems });
    }
    const problems: string[] = [];
    const existing = new Map<string, boolean>();
    for (const [i, rule] of parsed.rules.entries()) {
      if (rule.partner !== merchant.partner) {
        problems.push(
          `rules[${i}] (${rule.id}): partner ${rule.partner} is not this merchant (${merchant.partner})`,
        );
      }
      const stored = await store.getRule(rule.id);
      if (stored && stored.partner !== merchant.partner)
        problems.push(`rules[${i}]: the id ${rule.id} is taken`);
      existing.set(rule.id, stored !== undefined);
    }
    if (problems.length > 0) return rulesPage(ctx, req, reply, tab, { text, problems });
    for (const rule of parsed.rules) {
      if (existing.get(rule.id)) await replaceCustomRule(store, engine, rule.id, rule);
      else await createCustomRule(store, engine, rule);
    }
    return seeOther(reply, `${merchantBase(merchant.partner)}/rules?done=rules-imported`);
  });
}
