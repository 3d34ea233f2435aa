import type { IdentifiedRule } from '../rule-files/rule-file-render.js';
import type { AdminApiClient } from './admin-api-client.js';

/** A custom rule as `GET /api/rules` lists it (docs/admin-api.md); counters are not used here. */
export type ApiRule = IdentifiedRule & { partner: string; times: number | null; expiresAt: string | null };

/** The sandbox's custom rules, of one partner or all, in the API's precedence order. */
export async function listApiRules(client: AdminApiClient, partner?: string): Promise<ApiRule[]> {
  const query = partner === undefined ? '' : `?partner=${encodeURIComponent(partner)}`;
  const body = (await client.call('GET', `/api/rules${query}`)) as { items?: ApiRule[] } | undefined;
  return body?.items ?? [];
}
