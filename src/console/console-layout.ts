import type { Merchant } from '../ledger/model.js';
import type { ConsoleAssets } from './console-assets.js';
import type { ConsoleViewer } from './console-session.js';
import { CSRF_FIELD } from './csrf.js';
import { enc, html, type SafeHtml } from './html.js';

/** Sections of a merchant's console, in navigation order. */
export const NAV_ITEMS = [
  { key: 'overview', path: '', label: 'Overview' },
  { key: 'buyers', path: '/buyers', label: 'Buyers' },
  { key: 'rules', path: '/rules', label: 'Mock service' },
  { key: 'requests', path: '/requests', label: 'Request log' },
  { key: 'trades', path: '/trades', label: 'Trades' },
  { key: 'try', path: '/try', label: 'Try it' },
  { key: 'check', path: '/check', label: 'Integration check' },
] as const;

/** One section. */
export type NavKey = (typeof NAV_ITEMS)[number]['key'];

/** What a console page is made of. */
export interface PageOptions {
  title: string;
  viewer: ConsoleViewer | null;
  /** The merchant whose pages these are (the navigation and header show it). */
  merchant?: Merchant | undefined;
  active?: NavKey | undefined;
  body: SafeHtml;
  flash?: string | undefined;
  /** For the operator: every merchant, to switch between them. */
  merchants?: readonly Merchant[] | undefined;
  /** Extra data attributes on <main> for the script (e.g. what to poll). */
  mainAttrs?: SafeHtml | undefined;
}

/** The hidden CSRF field every console form carries. */
export function csrfField(viewer: ConsoleViewer | null): SafeHtml {
  return viewer ? html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}" />` : html``;
}

/** Base path of a merchant's pages. */
export function merchantBase(partner: string): string {
  return `/m/${enc(partner)}`;
}

function merchantSwitcher(merchant: Merchant | undefined, merchants: readonly Merchant[]): SafeHtml {
  return html`<form class="switcher" method="get" action="/operator/switch">
    <label for="switch-merchant">Merchant</label>
    <select id="switch-merchant" name="partner">
      ${merchant ? '' : html`<option value="">Choose…</option>`}
      ${merchants.map(
        (m) =>
          html`<option value="${m.partner}" ${m.partner === merchant?.partner ? ' selected' : ''}>
            ${m.name} (${m.partner})
          </option>`,
      )}
    </select>
    <button type="submit" class="btn btn-small">Open</button>
  </form>`;
}

function header(opts: PageOptions): SafeHtml {
  const { viewer } = opts;
  const who =
    viewer === null
      ? ''
      : viewer.kind === 'operator'
        ? html`<span class="who"><span class="role-badge">Operator</span></span>`
        : html`<span class="who"
            ><span class="role-badge role-merchant">Merchant</span> ${viewer.email}</span
          >`;
  return html`<header class="topbar">
    <a class="brand" href="/">
      <span class="brand-mark" aria-hidden="true">α</span>
      <span class="brand-name">alipay-mock</span>
      <span class="brand-sub">sandbox console</span>
    </a>
    ${viewer?.kind === 'operator' ? merchantSwitcher(opts.merchant, opts.merchants ?? []) : ''}
    ${
      viewer
        ? html`<div class="account">
            ${who}
            <form method="post" action="/logout">
              ${csrfField(viewer)}<button type="submit" class="btn btn-small btn-quiet">Sign out</button>
            </form>
          </div>`
        : ''
    }
  </header>`;
}

function nav(merchant: Merchant, active: NavKey | undefined): SafeHtml {
  const base = merchantBase(merchant.partner);
  return html`<nav class="sidenav" aria-label="Merchant sections">
    <div class="merchant-card">
      <span class="merchant-name">${merchant.name}</span>
      <span class="merchant-id">PID <code>${merchant.partner}</code></span>
    </div>
    <ul>
      ${NAV_ITEMS.map(
        (item) =>
          html`<li>
            <a href="${base}${item.path}" ${item.key === active ? html` aria-current="page"` : ''}
              >${item.label}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** A whole console page. */
export function renderPage(assets: ConsoleAssets, opts: PageOptions): string {
  const body = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <title>${opts.title} · alipay-mock console</title>
        <link rel="stylesheet" href="${assets.css.url}" />
        <script src="${assets.js.url}" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        ${header(opts)}
        <div class="shell${opts.merchant ? '' : ' shell-plain'}">
          ${opts.merchant ? nav(opts.merchant, opts.active) : ''}
          <main id="main" tabindex="-1" ${opts.mainAttrs ?? ''}>
            ${opts.flash ? html`<div class="flash" role="status">${opts.flash}</div>` : ''} ${opts.body}
          </main>
        </div>
      </body>
    </html> `;
  return body.text;
}
