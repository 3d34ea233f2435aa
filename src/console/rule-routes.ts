import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createCustomRule,
  deleteCustomRule,
  patchCustomRule,
  priorityChanges,
  replaceCustomRule,
  resetCustomRule,
  switchDefaultRule,
} from '../domain/custom-rules.js';
import { DEFAULT_RULES } from '../rules/default-rules.js';
import { merchantNow } from '../ledger/sandbox-clock.js';
import { RULE_SCHEMA } from '../rules/rule-schema.js';
import type { StoredRule } from '../rules/stored-rule.js';
import { merchantBase } from './console-layout.js';
import { formOf, messagePage, queryOf, seeOther, sendPage, type ConsoleContext } from './console-page.js';
import { enc, html } from './html.js';
import { ruleEditor } from './rule-editor-view.js';
import { newRuleValues, ruleValues, SERVICE_TABS, tabOf, validateRuleForm } from './rule-form.js';
import { customRulesTable, defaultRuleGroups, ruleFilePanel, rulesHead } from './rule-list-view.js';
import type { FormValues } from './schema-form.js';

type Tab = (typeof SERVICE_TABS)[number];

function tabFrom(value: string | undefined): Tab {
  return tabOf(value ?? '') ?? SERVICE_TABS[0]!;
}

/** This merchant's custom rules that apply to a tab's service, in precedence order. */
async function tabRules(ctx: ConsoleContext, partner: string, tab: Tab): Promise<StoredRule[]> {
  const rules = await ctx.deps.store.listRules({ partner });
  return rules.filter((r) => r.service === tab.service || r.service === '*');
}

/** The mock service page of one tab; `file` re-shows an import that failed. */
export async function rulesPage(
  ctx: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  tab: Tab,
  file?: { text: string; problems: string[] },
): Promise<FastifyReply> {
  const { store, clock } = ctx.deps;
  const merchant = req.consoleMerchant!;
  const base = merchantBase(merchant.partner);
  const [rules, off, now] = await Promise.all([
    tabRules(ctx, merchant.partner, tab),
    store.listDisabledDefaultRules(merchant.partner),
    merchantNow(store, clock, merchant.partner),
  ]);
  const defaults = DEFAULT_RULES.filter((r) => r.service === tab.service || r.service === '*');
  const body = html`${rulesHead(base, tab.tab, tab.service)}
    <section class="card" aria-labelledby="custom-h">
      <div class="card-head">
        <h2 id="custom-h">Custom rules</h2>
        <a class="btn btn-primary" href="${base}/rules/new?service=${tab.tab}">New rule</a>
      </div>
      ${customRulesTable(base, tab.tab, req.consoleViewer, rules, now)}
    </section>
    <section class="card" aria-labelledby="default-h">
      <h2 id="default-h">Default rules</h2>
      <p class="hint">
        Built in, the same for every merchant, grouped by what they answer; switch off those that get in your
        way (docs/rules.md).
      </p>
      ${defaultRuleGroups({ base, tab: tab.tab, viewer: req.consoleViewer, off: new Set(off) }, defaults)}
    </section>
    ${ruleFilePanel(base, merchant.partner, req.consoleViewer, file?.text, file?.problems)}`;
  return sendPage(
    ctx,
    req,
    reply,
    { title: `Mock service: ${tab.label}`, active: 'rules', body },
    file ? 400 : 200,
  );
}

function editorPage(
  ctx: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  opts: {
    title: string;
    action: string;
    values: FormValues;
    errors?: Map<string, string>;
    rule?: StoredRule;
  },
) {
  const base = merchantBase(req.consoleMerchant!.partner);
  const tab = tabFrom(opts.values['service']);
  const counters = opts.rule
    ? html`<p class="hint">
        Matched ${opts.rule.hits} time${opts.rule.hits === 1 ? '' : 's'} so far · id
        <code>${opts.rule.id}</code>
      </p>`
    : undefined;
  const body = html`<div class="page-head">
      <p class="crumbs"><a href="${base}/rules?service=${tab.tab}">Mock service</a></p>
      <h1>${opts.title}</h1>
    </div>
    ${ruleEditor({
      action: opts.action,
      cancelHref: `${base}/rules?service=${tab.tab}`,
      viewer: req.consoleViewer,
      values: opts.values,
      errors: opts.errors ?? new Map(),
      counters,
    })}`;
  return sendPage(
    ctx,
    req,
    reply,
    { title: opts.title, active: 'rules', body },
    opts.errors?.size ? 400 : 200,
  );
}

/** The rule of this page's merchant with this id (another merchant's rule is answered as missing). */
async function ownRule(
  ctx: ConsoleContext,
  req: FastifyRequest,
  id: string,
): Promise<StoredRule | undefined> {
  const rule = await ctx.deps.store.getRule(id);
  return rule && rule.partner === req.consoleMerchant!.partner ? rule : undefined;
}

function listHref(base: string, service: string, done: string, id?: string): string {
  return `${base}/rules?service=${tabFrom(service).tab}&done=${done}${id ? `#rule-${enc(id)}` : ''}`;
}

/** The mock service: rule lists per service, the editor, rule actions, default-rule switches, files. */
export function ruleRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store, rules: engine } = ctx.deps;
  const base = (req: FastifyRequest) => merchantBase(req.consoleMerchant!.partner);
  const notFound = (req: FastifyRequest, reply: FastifyReply) =>
    sendPage(ctx, req, reply, messagePage('Not found', 'This merchant has no such rule.'), 404);

  app.get('/rules', (req, reply) => rulesPage(ctx, req, reply, tabFrom(queryOf(req)['service'])));

  app.get('/rules/new', (req, reply) => {
    const tab = tabFrom(queryOf(req)['service']);
    return editorPage(ctx, req, reply, {
      title: 'New rule',
      action: `${base(req)}/rules/new`,
      values: newRuleValues(tab.service),
    });
  });

  app.post('/rules/new', async (req, reply) => {
    const values = formOf(req);
    const result = validateRuleForm(values, req.consoleMerchant!.partner);
    if (!result.ok) {
      return editorPage(ctx, req, reply, {
        title: 'New rule',
        action: `${base(req)}/rules/new`,
        values,
        errors: result.errors,
      });
    }
    const created = await createCustomRule(store, engine, { ...result.rule, id: randomUUID() });
    return seeOther(reply, listHref(base(req), created.service, 'rule-created', created.id));
  });

  app.get<{ Params: { id: string } }>('/rules/:id/edit', async (req, reply) => {
    const rule = await ownRule(ctx, req, req.params.id);
    if (!rule) return notFound(req, reply);
    const action = `${base(req)}/rules/${enc(rule.id)}/edit`;
    return editorPage(ctx, req, reply, {
      title: `Edit “${rule.name}”`,
      action,
      values: ruleValues(rule),
      rule,
    });
  });

  app.post<{ Params: { id: string } }>('/rules/:id/edit', async (req, reply) => {
    const rule = await ownRule(ctx, req, req.params.id);
    if (!rule) return notFound(req, reply);
    const values = formOf(req);
    const result = validateRuleForm(values, rule.partner);
    if (!result.ok) {
      const action = `${base(req)}/rules/${enc(rule.id)}/edit`;
      return editorPage(ctx, req, reply, {
        title: `Edit “${rule.name}”`,
        action,
        values,
        errors: result.errors,
        rule,
      });
    }
    await replaceCustomRule(store, engine, rule.id, result.rule);
    return seeOther(reply, listHref(base(req), result.rule.service, 'rule-saved', rule.id));
  });

  app.post<{ Params: { id: string } }>('/rules/:id/toggle', async (req, reply) => {
    const rule = await ownRule(ctx, req, req.params.id);
    if (!rule) return notFound(req, reply);
    const enabled = formOf(req)['enabled'] === 'true';
    await patchCustomRule(store, engine, rule.id, { enabled });
    return seeOther(
      reply,
      listHref(base(req), rule.service, enabled ? 'rule-enabled' : 'rule-disabled', rule.id),
    );
  });

  app.post<{ Params: { id: string } }>('/rules/:id/duplicate', async (req, reply) => {
    const rule = await ownRule(ctx, req, req.params.id);
    if (!rule) return notFound(req, reply);
    // The copy starts disabled: as the newer rule it would otherwise win every tie with the original.
    const parsed = RULE_SCHEMA.safeParse({
      partner: rule.partner,
      service: rule.service,
      name: `Copy of ${rule.name}`.slice(0, 120),
      priority: rule.priority,
      enabled: false,
      when: rule.when,
      then: rule.then,
      ...(rule.times === null ? {} : { times: rule.times }),
      ...(rule.expiresAt === null ? {} : { expiresAt: rule.expiresAt.toISOString() }),
    });
    if (!parsed.success) throw new Error(`stored rule ${rule.id} no longer validates`);
    const copy = await createCustomRule(store, engine, {
      ...parsed.data,
      partner: rule.partner,
      id: randomUUID(),
    });
    return seeOther(reply, listHref(base(req), rule.service, 'rule-duplicated', copy.id));
  });

  app.post<{ Params: { id: string } }>('/rules/:id/move', async (req, reply) => {
    const rule = await ownRule(ctx, req, req.params.id);
    if (!rule) return notFound(req, reply);
    const form = formOf(req);
    const tab = tabFrom(form['tab'] ?? rule.service);
    const ordered = await tabRules(ctx, rule.partner, tab);
    const i = ordered.findIndex((r) => r.id === rule.id);
    const j = form['dir'] === 'up' ? i - 1 : i + 1;
    if (i >= 0 && j >= 0 && j < ordered.length) {
      [ordered[i], ordered[j]] = [ordered[j]!, ordered[i]!];
      for (const change of priorityChanges(ordered)) {
        await patchCustomRule(store, engine, change.id, { priority: change.priority });
      }
    }
    return seeOther(reply, `${base(req)}/rules?service=${tab.tab}&done=rule-moved#rule-${enc(rule.id)}`);
  });

  app.post<{ Params: { id: string } }>('/rules/:id/reset', async (req, reply) => {
    const rule = await ownRule(ctx, req, req.params.id);
    if (!rule) return notFound(req, reply);
    await resetCustomRule(store, engine, rule.id);
    return seeOther(reply, listHref(base(req), rule.service, 'rule-reset', rule.id));
  });

  app.post<{ Params: { id: string } }>('/rules/:id/delete', async (req, reply) => {
    const rule = await ownRule(ctx, req, req.params.id);
    if (!rule) return notFound(req, reply);
    await deleteCustomRule(store, engine, rule.id);
    return seeOther(reply, listHref(base(req), rule.service, 'rule-deleted'));
  });

  app.post<{ Params: { id: string } }>('/default-rules/:id', async (req, reply) => {
    const form = formOf(req);
    const enabled = form['enabled'] === 'true';
    const switched = await switchDefaultRule(
      store,
      engine,
      req.consoleMerchant!.partner,
      req.params.id,
      enabled,
    );
    if (!switched) return notFound(req, reply);
    const tab = tabFrom(form['tab']);
    return seeOther(
      reply,
      `${base(req)}/rules?service=${tab.tab}&done=${enabled ? 'default-on' : 'default-off'}#rule-${enc(req.params.id)}`,
    );
  });
}
