import type { DefaultRule } from '../rules/default-rules.js';
import type { StoredRule } from '../rules/stored-rule.js';
import { conditionsHtml, outcomeText, serviceLabel, timeHtml } from './console-format.js';
import type { ConsoleViewer } from './console-session.js';
import { csrfField } from './console-layout.js';
import { groupDefaultRules } from './default-rule-groups.js';
import { enc, html, type SafeHtml } from './html.js';
import { SERVICE_TABS } from './rule-form.js';

/** A custom rule's state in words (not only colour): on, off, used up, expired. */
export function ruleState(rule: StoredRule, now: Date): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  if (!rule.enabled) return { text: 'Off', tone: 'bad' };
  if (rule.times !== null && rule.hits >= rule.times) return { text: 'Used up', tone: 'warn' };
  if (rule.expiresAt !== null && rule.expiresAt <= now) return { text: 'Expired', tone: 'warn' };
  return { text: 'On', tone: 'ok' };
}

/** What is left of a rule's lifetime. */
function lifetime(rule: StoredRule): SafeHtml {
  const parts: SafeHtml[] = [];
  if (rule.times !== null)
    parts.push(html`${Math.max(0, rule.times - rule.hits)} of ${rule.times} matches left`);
  if (rule.expiresAt !== null) parts.push(html`until ${timeHtml(rule.expiresAt)}`);
  return parts.length === 0
    ? html`<span class="muted">unlimited</span>`
    : html`${parts.map((p, i) => html`${i ? html`<br />` : ''}${p}`)}`;
}

/** The service tabs of the mock service page. */
export function serviceTabs(base: string, active: string): SafeHtml {
  return html`<nav class="tabs" aria-label="Services">
    ${SERVICE_TABS.map(
      (t) =>
        html`<a href="${base}/rules?service=${t.tab}" ${t.tab === active ? html` aria-current="page"` : ''}
          >${t.label}<span class="tab-service">${t.service}</span></a
        >`,
    )}
  </nav>`;
}

function actionButton(
  base: string,
  viewer: ConsoleViewer | null,
  rule: StoredRule,
  path: string,
  label: string,
  extra: SafeHtml = html``,
  hidden: Record<string, string> = {},
) {
  return html`<form method="post" action="${base}/rules/${enc(rule.id)}/${path}" class="inline" ${extra}>
    ${csrfField(viewer)}${Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
    <button type="submit" class="btn btn-small btn-quiet">
      ${label}<span class="sr-only"> ${rule.name}</span>
    </button>
  </form>`;
}

/** The merchant's custom rules of one tab, in precedence order, with their actions. */
export function customRulesTable(
  base: string,
  tab: string,
  viewer: ConsoleViewer | null,
  rules: readonly StoredRule[],
  now: Date,
): SafeHtml {
  if (rules.length === 0) {
    return html`<p class="muted">
      No custom rule for this service yet: the default rules below and the normal sandbox behaviour answer.
    </p>`;
  }
  return html`<div class="table-wrap">
    <table class="rules-table">
      <thead>
        <tr>
          <th scope="col" class="num">#</th>
          <th scope="col">Rule</th>
          <th scope="col">When</th>
          <th scope="col">Then</th>
          <th scope="col">State</th>
          <th scope="col" class="num">Hits</th>
          <th scope="col">Lifetime left</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        ${rules.map((r, i) => {
          const state = ruleState(r, now);
          return html`<tr id="rule-${r.id}">
            <td class="num">${i + 1}</td>
            <td>
              <a href="${base}/rules/${enc(r.id)}/edit">${r.name}</a>
              <div class="sub">priority ${r.priority}${r.service === '*' ? ' · all services' : ''}</div>
            </td>
            <td>${conditionsHtml(r.when)}</td>
            <td>${outcomeText(r.then)}</td>
            <td><span class="badge badge-${state.tone}">${state.text}</span></td>
            <td class="num">${r.hits}</td>
            <td>${lifetime(r)}</td>
            <td>
              <div class="actions">
                <a class="btn btn-small btn-quiet" href="${base}/rules/${enc(r.id)}/edit"
                  >Edit<span class="sr-only"> ${r.name}</span></a
                >
                ${actionButton(base, viewer, r, 'toggle', r.enabled ? 'Disable' : 'Enable', html``, { enabled: r.enabled ? 'false' : 'true' })}
                ${actionButton(base, viewer, r, 'duplicate', 'Duplicate')}
                ${i > 0 ? actionButton(base, viewer, r, 'move', 'Move up', html``, { dir: 'up', tab }) : ''}
                ${i < rules.length - 1 ? actionButton(base, viewer, r, 'move', 'Move down', html``, { dir: 'down', tab }) : ''}
                ${r.hits > 0 ? actionButton(base, viewer, r, 'reset', 'Reset hits') : ''}
                ${actionButton(base, viewer, r, 'delete', 'Delete', html` data-confirm="Delete the rule “${r.name}”?"`)}
              </div>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** What the default-rule list is drawn for: the merchant's pages, the tab, the viewer, the rules off. */
export interface DefaultRuleListContext {
  base: string;
  tab: string;
  viewer: ConsoleViewer | null;
  off: ReadonlySet<string>;
}

/** Default rules, read-only, each switchable for this merchant. */
function defaultRulesTable(
  { base, tab, viewer, off }: DefaultRuleListContext,
  rules: readonly DefaultRule[],
): SafeHtml {
  return html`<div class="table-wrap">
    <table class="rules-table">
      <thead>
        <tr>
          <th scope="col">Rule id</th>
          <th scope="col">When</th>
          <th scope="col">Then</th>
          <th scope="col">For this merchant</th>
          <th scope="col"><span class="sr-only">Switch</span></th>
        </tr>
      </thead>
      <tbody>
        ${rules.map((r) => {
          const on = !off.has(r.id);
          return html`<tr id="rule-${r.id}" ${on ? '' : html` class="row-off"`}>
            <td><code class="nowrap">${r.id}</code></td>
            <td>${conditionsHtml(r.when)}</td>
            <td>${outcomeText(r.then)}</td>
            <td><span class="badge badge-${on ? 'ok' : 'bad'}">${on ? 'On' : 'Off'}</span></td>
            <td>
              <form method="post" action="${base}/default-rules/${enc(r.id)}" class="inline">
                ${csrfField(viewer)}
                <input type="hidden" name="enabled" value="${on ? 'false' : 'true'}" /><input
                  type="hidden"
                  name="tab"
                  value="${tab}"
                />
                <button type="submit" class="btn btn-small btn-quiet">
                  Switch ${on ? 'off' : 'on'}<span class="sr-only"> ${r.id}</span>
                </button>
              </form>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/**
 * The built-in default rules of one tab grouped by outcome, each group a <details> (closed: the page
 * stays short; a link to a rule's row opens its group). console.js shows the filter box and filters rows.
 */
export function defaultRuleGroups(c: DefaultRuleListContext, rules: readonly DefaultRule[]): SafeHtml {
  return html`<div class="rule-filter" data-filter-box hidden>
      <label for="default-filter">Filter default rules</label>
      <input
        type="search"
        id="default-filter"
        data-filter="default-groups"
        placeholder="9902, UNKNOW, reset, ILLEGAL_SIGN…"
        autocomplete="off"
        spellcheck="false"
        aria-describedby="default-filter-count"
      />
      <p class="hint" id="default-filter-count" aria-live="polite" data-filter-count></p>
    </div>
    <div id="default-groups">
      ${groupDefaultRules(rules).map((g) => {
        const switchedOff = g.rules.filter((r) => c.off.has(r.id)).length;
        return html`<details class="rule-group" data-group id="defaults-${g.key}">
          <summary>
            ${g.label}
            <span class="group-count"
              >${g.rules.length}
              rule${g.rules.length === 1 ? '' : 's'}${switchedOff > 0 ? ` · ${switchedOff} off` : ''}</span
            >
          </summary>
          ${defaultRulesTable(c, g.rules)}
        </details>`;
      })}
    </div>`;
}

/** Export links and the import form of the merchant's rule file. */
export function ruleFilePanel(
  base: string,
  partner: string,
  viewer: ConsoleViewer | null,
  importText = '',
  problems: string[] = [],
) {
  return html`<section class="card" aria-labelledby="file-h">
    <h2 id="file-h">Rule file</h2>
    <p>All custom rules of this merchant as one file (<code>{version: 1, rules}</code>, docs/rules.md).
      <a class="btn btn-small" href="${base}/rules/export?format=yaml" download>Export YAML</a>
      <a class="btn btn-small" href="${base}/rules/export?format=json" download>Export JSON</a></p>
    <details${problems.length > 0 ? ' open' : ''}>
      <summary>Import a rule file</summary>
      <form method="post" action="${base}/rules/import" class="stack">
        ${csrfField(viewer)}
        ${
          problems.length > 0
            ? html`<div class="error-summary" role="alert">
                <h3>The file was not imported</h3>
                <ul>
                  ${problems.map((p) => html`<li>${p}</li>`)}
                </ul>
              </div>`
            : ''
        }
        <div class="field field-wide"><label for="rule-file">YAML or JSON</label>
          <textarea id="rule-file" name="file" rows="8" spellcheck="false" aria-describedby="h-rule-file">${importText}</textarea>
          <p class="hint" id="h-rule-file">Rules are created, or replaced when one of this merchant's rules has the same id. Every rule's partner must be ${partner}.</p></div>
        <div class="field"><label for="rule-file-pick">Or read a file</label>
          <input id="rule-file-pick" type="file" accept=".yaml,.yml,.json" data-file-into="rule-file"></div>
        <div class="form-actions"><button type="submit" class="btn">Import</button></div>
      </form>
    </details>
  </section>`;
}

/** The heading part of the mock service page. */
export function rulesHead(base: string, tab: string, service: string): SafeHtml {
  return html`<div class="page-head">
    <h1>Mock service</h1>
    <p class="lead">
      Rules decide what ${serviceLabel(service)} requests get: your custom rules first (top to bottom), then
      the default rules, then the normal sandbox behaviour.
    </p>
    ${serviceTabs(base, tab)}
  </div>`;
}
