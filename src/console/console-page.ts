import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Merchant } from '../ledger/model.js';
import type { ConsoleAssets } from './console-assets.js';
import type { ConsoleDeps } from './console-deps.js';
import { renderPage, type PageOptions } from './console-layout.js';
import type { ConsoleViewer } from './console-session.js';
import { flashMessage } from './flash.js';
import { html, type SafeHtml } from './html.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in to the console (set by the console's onRequest hook), or null. */
    consoleViewer: ConsoleViewer | null;
    /** The merchant of a /m/:partner/… page once access was checked, else null. */
    consoleMerchant: Merchant | null;
  }
}

/** What every console route needs. */
export interface ConsoleContext {
  deps: ConsoleDeps;
  assets: ConsoleAssets;
}

/** What a route says about its page; the rest comes from the request. */
export type PageContent = Pick<PageOptions, 'title' | 'active' | 'body' | 'mainAttrs'>;

/** Renders a page for this request: its viewer, its merchant, a flash message named by `?done=`. */
export async function sendPage(
  ctx: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  content: PageContent,
  status = 200,
): Promise<FastifyReply> {
  const viewer = req.consoleViewer;
  const merchants = viewer?.kind === 'operator' ? await ctx.deps.store.listMerchants() : undefined;
  const query = req.query as Record<string, unknown> | undefined;
  const page = renderPage(ctx.assets, {
    ...content,
    viewer,
    merchant: req.consoleMerchant ?? undefined,
    merchants,
    flash: status < 400 ? flashMessage(query?.['done']) : undefined,
  });
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** A page that only says something went wrong, in words, with a way on. */
export function messagePage(
  title: string,
  text: string | SafeHtml,
  next?: { href: string; label: string },
): PageContent {
  return {
    title,
    body: html`<section class="message-page">
      <h1>${title}</h1>
      <p>${text}</p>
      ${next ? html`<p><a class="btn" href="${next.href}">${next.label}</a></p>` : ''}
    </section>`,
  };
}

/** 303 See Other: the answer to every successful form POST (a reload never repeats the action). */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}

/** The form fields of a POST (the console's parser gives a null-prototype record of strings). */
export function formOf(req: FastifyRequest): Record<string, string> {
  const body = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, string>) : {};
}

/** The query string as text values (repeated names: the first). */
export function queryOf(req: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((req.query as Record<string, unknown> | undefined) ?? {})) {
    const first = Array.isArray(v) ? (v[0] as unknown) : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}
