import { adminTokenFromEnv } from '../config.js';
import { parseRuleFile } from '../rule-files/rule-file.js';
import { RULE_FILE_FORMATS, renderRuleFile } from '../rule-files/rule-file-render.js';
import { AdminApiError, DEFAULT_ADMIN_URL, createAdminApiClient } from './admin-api-client.js';
import type { CommandOutput } from './command-output.js';
import { pickChoice } from './pick-choice.js';
import { listApiRules, type ApiRule } from './rule-api-items.js';
import { printRuleFileIssues } from './rules-validate.js';
import { UsageError } from './usage-error.js';
import { namedGateway, type GatewayOptions } from './gateway-option.js';

/** Options of `alipay-mock rules export`, as commander gives them. */
export interface RulesExportOptions extends GatewayOptions {
  partner?: string;
  format: string;
  token?: string;
}

/**
 * Oldest first within each partner and priority. The API lists newest first (the precedence among
 * equal priorities); a rule file is loaded and imported in file order, so the newest must come last
 * for the precedence to survive a round trip.
 */
function creationOrder(items: readonly ApiRule[]): ApiRule[] {
  return [...items]
    .reverse()
    .sort((a, b) => (a.partner < b.partner ? -1 : a.partner > b.partner ? 1 : b.priority - a.priority));
}

/** `alipay-mock rules export`: prints the sandbox's custom rules as a rule file (YAML or JSON). */
export async function rulesExportCommand(opts: RulesExportOptions, out: CommandOutput): Promise<number> {
  const format = pickChoice(opts.format, RULE_FILE_FORMATS, '--format');
  if (opts.partner !== undefined && !/^\d{16}$/.test(opts.partner))
    throw new UsageError(`--partner must be a 16-digit PID, got "${opts.partner}"`);
  const client = createAdminApiClient(
    namedGateway(opts, out) ?? DEFAULT_ADMIN_URL,
    opts.token ?? adminTokenFromEnv(),
  );
  let items: ApiRule[];
  try {
    items = await listApiRules(client, opts.partner);
  } catch (err) {
    if (!(err instanceof AdminApiError)) throw err;
    out.stderr(`alipay-mock: ${err.message}\n`);
    return 1;
  }
  const comment = `alipay-mock rules exported from ${client.baseUrl}${opts.partner ? ` (partner ${opts.partner})` : ''}`;
  const text = renderRuleFile(creationOrder(items), format, comment);
  // What is printed must load again; a stored rule this file format cannot hold is reported, not hidden.
  const check = parseRuleFile(text);
  if (!check.ok) {
    printRuleFileIssues('(export)', check, out);
    return 1;
  }
  out.stdout(text);
  return 0;
}
