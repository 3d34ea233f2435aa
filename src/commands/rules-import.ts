import { adminTokenFromEnv } from '../config.js';
import { ruleDefinitionKey } from '../rules/rule-definition.js';
import { FILE_RULE_ID_PREFIX, type FileRule } from '../rule-files/rule-file.js';
import {
  AdminApiError,
  DEFAULT_ADMIN_URL,
  createAdminApiClient,
  type AdminApiClient,
} from './admin-api-client.js';
import { namedGateway, type GatewayOptions } from './gateway-option.js';
import type { CommandOutput } from './command-output.js';
import { listApiRules, type ApiRule } from './rule-api-items.js';
import { printRuleFileIssues, readRuleFile } from './rules-validate.js';

/** Options of `alipay-mock rules import`, as commander gives them. */
export interface RulesImportOptions extends GatewayOptions {
  token?: string;
  replace?: boolean;
}

type Change = 'created' | 'replaced' | 'unchanged';

/** Creates the rule, or replaces the one with its id (a different partner: delete, then create). */
async function importRule(client: AdminApiClient, rule: FileRule, existing?: ApiRule): Promise<Change> {
  const path = `/api/rules/${encodeURIComponent(rule.id)}`;
  if (existing === undefined) {
    await client.call('POST', '/api/rules', rule);
    return 'created';
  }
  if (ruleDefinitionKey(existing) === ruleDefinitionKey(rule)) return 'unchanged';
  if (existing.partner !== rule.partner) {
    await client.call('DELETE', path);
    await client.call('POST', '/api/rules', rule);
  } else {
    await client.call('PUT', path, rule);
  }
  return 'replaced';
}

/**
 * `alipay-mock rules import <file>`: validates the file locally (nothing is sent when it is invalid),
 * then creates or replaces each rule through the admin API; `--replace` also deletes the rules of the
 * file's partners that the file does not name. Exit 1 when any call failed.
 */
export async function rulesImportCommand(
  file: string,
  opts: RulesImportOptions,
  out: CommandOutput,
): Promise<number> {
  const parsed = await readRuleFile(file);
  if (!parsed.ok) {
    printRuleFileIssues(file, parsed, out);
    return 1;
  }
  const client = createAdminApiClient(
    namedGateway(opts, out) ?? DEFAULT_ADMIN_URL,
    opts.token ?? adminTokenFromEnv(),
  );
  let existing: Map<string, ApiRule>;
  try {
    existing = new Map((await listApiRules(client)).map((r) => [r.id, r]));
  } catch (err) {
    if (!(err instanceof AdminApiError)) throw err;
    out.stderr(`alipay-mock: ${err.message}\n`);
    return 1;
  }
  const counts = { created: 0, replaced: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const [i, rule] of parsed.rules.entries()) {
    try {
      counts[await importRule(client, rule, existing.get(rule.id))] += 1;
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      counts.failed += 1;
      out.stderr(`${file}:${parsed.lineOf(i)}: rules[${i}] (${rule.id}): ${err.message}\n`);
    }
  }
  if (opts.replace) {
    const partners = new Set(parsed.rules.map((r) => r.partner));
    const named = new Set(parsed.rules.map((r) => r.id));
    for (const r of existing.values()) {
      if (!partners.has(r.partner) || named.has(r.id)) continue;
      if (r.id.startsWith(FILE_RULE_ID_PREFIX)) {
        out.stderr(`kept ${r.id}: it belongs to the server's rule file (serve --rules)\n`);
        continue;
      }
      try {
        await client.call('DELETE', `/api/rules/${encodeURIComponent(r.id)}`);
        counts.deleted += 1;
      } catch (err) {
        if (!(err instanceof AdminApiError)) throw err;
        counts.failed += 1;
        out.stderr(`delete ${r.id}: ${err.message}\n`);
      }
    }
  }
  const { created, replaced, unchanged, deleted, failed } = counts;
  out.stdout(
    `${file} → ${client.baseUrl}: ${created} created, ${replaced} replaced, ${unchanged} unchanged` +
      `${opts.replace ? `, ${deleted} deleted` : ''}${failed > 0 ? `, ${failed} failed` : ''}\n`,
  );
  return failed > 0 ? 1 : 0;
}
