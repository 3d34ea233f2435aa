import type { CheckVerdict } from './check-verdict.js';

/** XML 1.0 allows no control characters but tab, newline and carriage return, even escaped. */
const allowedInXml = (c: string): boolean => c >= ' ' || c === '\t' || c === '\n' || c === '\r';

const escapeXml = (text: string): string =>
  [...text]
    .filter(allowedInXml)
    .join('')
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The lines a failed or skipped test case carries: findings, what was expected, and the evidence. */
function details(v: CheckVerdict): string {
  const lines = [
    ...v.findings,
    `Expected: ${v.expected}`,
    ...(v.sandboxReading === null ? [] : [`Reading: ${v.sandboxReading}`]),
    `Cites: ${v.cites.join(', ')}`,
    ...v.evidence.map(
      (e) =>
        `#${e.requestId} ${e.receivedAt}${e.sandboxAt ? ` (sandbox ${e.sandboxAt})` : ''} ${e.service ?? '-'} ${e.partnerTransId ?? '-'} ${e.outcome} ${e.apiLink}`,
    ),
  ];
  return lines.join('\n');
}

/** One check run's verdicts as JUnit XML: a test case per scenario, failed ones as failures, not exercised ones skipped. */
export function junitReport(runId: string, verdicts: readonly CheckVerdict[], at: Date): string {
  const failures = verdicts.filter((v) => v.status === 'failed').length;
  const skipped = verdicts.filter((v) => v.status === 'not_exercised').length;
  const cases = verdicts.map((v) => {
    const open = `    <testcase classname="alipay-mock.check" name="${escapeXml(v.scenario)}" time="0">`;
    const text = escapeXml(details(v));
    const message = escapeXml(v.findings[0] ?? v.status);
    if (v.status === 'failed')
      return `${open}\n      <failure message="${message}" type="failed">${text}</failure>\n    </testcase>`;
    if (v.status === 'not_exercised')
      return `${open}\n      <skipped message="${message}"/>\n    </testcase>`;
    return `${open}\n      <system-out>${text}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="alipay-mock integration check" tests="${verdicts.length}" failures="${failures}" skipped="${skipped}" errors="0">`,
    `  <testsuite name="check run ${escapeXml(runId)}" tests="${verdicts.length}" failures="${failures}" skipped="${skipped}" errors="0" timestamp="${at.toISOString()}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
