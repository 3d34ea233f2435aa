import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatRuleFileIssue,
  parseRuleFile,
  storedFileRuleId,
  type RuleFileIssue,
} from '../../src/rule-files/rule-file.js';
import { renderRuleFile } from '../../src/rule-files/rule-file-render.js';
import { ruleDefinitionKey } from '../../src/rules/rule-definition.js';

const YAML_FILE = `version: 1
rules:
  - id: decline-1234
    partner: "2088101122136241"
    service: alipay.acquire.overseas.spot.pay
    name: decline 12.34
    when: [{ field: trans_amount, op: eq, value: "12.34" }]
    then: { type: business, result_code: FAILED, error: BUYER_BALANCE_NOT_ENOUGH }
    times: 3
  - id: slow-queries
    partner: "2088101122136241"
    service: alipay.acquire.overseas.query
    name: slow queries
    then:
      type: fault
      fault: delay
      delay: { type: uniform, minMs: 3000, maxMs: 8000 }
`;

function issuesOf(text: string): RuleFileIssue[] {
  const parsed = parseRuleFile(text);
  assert.equal(parsed.ok, false, 'the file should be refused');
  return parsed.ok ? [] : parsed.issues;
}

/** `line:col path` of each issue, the part the tests are about. */
function places(issues: RuleFileIssue[]): string[] {
  return issues.map((i) => `${i.line}:${i.column} ${i.path}`);
}

describe('rule files', () => {
  it('a valid YAML file gives its rules, defaults applied, and the line each starts on', () => {
    const parsed = parseRuleFile(YAML_FILE);
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.rules.map((r) => [r.id, r.priority, r.enabled, r.times]),
      [
        ['decline-1234', 0, true, 3],
        ['slow-queries', 0, true, undefined],
      ],
    );
    assert.deepEqual([parsed.lineOf(0), parsed.lineOf(1)], [3, 10]);
  });

  it('JSON is read by the same parser, tab indentation included', () => {
    const json = JSON.stringify(
      {
        version: 1,
        rules: [{ id: 'a', partner: '2088101122136241', service: '*', name: 'n', then: { type: 'normal' } }],
      },
      null,
      '\t',
    );
    const parsed = parseRuleFile(json);
    assert.ok(parsed.ok);
    assert.equal(parsed.rules[0]?.service, '*');
  });

  it('valid JSON gives the same rules as the YAML parser, and the line each starts on when asked', () => {
    const json = [
      '{ "version": 1, "rules": [',
      '  { "id": "a", "partner": "2088101122136241", "service": "*", "name": "say \\": here",',
      '    "when": [{ "field": "memo", "op": "eq", "value": "x\\":" }], "then": { "type": "normal" } },',
      '  { "id": "b", "partner": "2088101122136241", "service": "*", "name": "n", "then": { "type": "normal" } }',
      '] }',
    ].join('\n');
    const parsed = parseRuleFile(json);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    // A comment makes the text no JSON: the YAML parser reads it, and must read the same rules.
    const viaYaml = parseRuleFile(`${json}\n# the end`);
    assert.ok(viaYaml.ok);
    assert.deepEqual(parsed.rules, viaYaml.rules);
    assert.equal(parsed.rules[0]?.name, 'say ": here');
    assert.deepEqual([parsed.lineOf(0), parsed.lineOf(1)], [2, 4]);
  });

  it('a value nested 100 000 deep is a problem, in JSON and in YAML, never a crash', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const rule = `"id": "a", "partner": "2088101122136241", "service": "*", "name": "n", "then": { "type": "normal" }`;
    const json = `{ "version": 1, "rules": [ { ${rule}, "when": [{ "field": "memo", "op": "eq", "value": ${deep} }] } ] }`;
    // Refused by the nesting pre-scan where the 33rd level opens (five are open before the value),
    // before any parser recurses.
    const [issue] = issuesOf(json);
    assert.ok(issue);
    assert.deepEqual(places([issue]), [`1:${json.indexOf(deep) + 1 + 32 - 5} (syntax)`]);
    assert.match(issue?.message ?? '', /^nested deeper than 32 levels/);
    assert.ok(issuesOf(`${json}\n# as YAML`).length > 0);
  });

  it('a key repeated in JSON is a problem at the repeated key, as in YAML', () => {
    const json = [
      '{ "version": 1, "rules": [',
      '  { "id": "a", "partner": "2088101122136241", "service": "*", "name": "n",',
      '    "then": { "type": "normal" }, "name": "m" }',
      '] }',
    ].join('\n');
    const issues = issuesOf(json);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]?.line, 3);
    assert.match(issues[0]?.message ?? '', /unique/i);
  });

  it('a YAML problem is reported at the line and column of the value', () => {
    const text = YAML_FILE.replace('value: "12.34"', 'op2: x, value: "("').replace('op: eq', 'op: regex');
    const issues = issuesOf(text);
    assert.deepEqual(places(issues), ['7:46 rules[0].when[0].op2', '7:61 rules[0].when[0].value']);
    assert.equal(issues[0]?.message, 'unknown key "op2"');
    const regex = issuesOf(YAML_FILE.replace('op: eq, value: "12.34"', 'op: regex, value: "("'));
    assert.deepEqual(places(regex), ['7:53 rules[0].when[0].value']);
    assert.match(regex[0]?.message ?? '', /^not a valid regular expression/);
  });

  it('a JSON problem is reported at its line and column', () => {
    const json = [
      '{',
      '  "version": 1,',
      '  "rules": [',
      '    { "id": "a", "partner": "2088101122136241", "service": "alipay.acquire.overseas.query",',
      '      "name": "q", "then": { "type": "business", "result_code": "FAILED" } }',
      '  ]',
      '}',
    ].join('\n');
    const issues = issuesOf(json);
    assert.deepEqual(places(issues), ['5:65 rules[0].then.result_code']);
    assert.match(issues[0]?.message ?? '', /answers SUCCESS, FAIL/);
  });

  it('every problem is reported, in the order of the text', () => {
    const text = `version: 1
rules:
  - id: a
    partner: 2088101122136241
    service: alipay.acquire.overseas.spot.pay
    name: x
    priorty: 3
    then: { type: normal }
  - partner: null
    service: nope
    name: y
    then: { type: normal }
`;
    assert.deepEqual(places(issuesOf(text)), [
      '4:14 rules[0].partner',
      '7:5 rules[0].priorty',
      '9:5 rules[1]',
      '9:14 rules[1].partner',
      '10:14 rules[1].service',
    ]);
  });

  it('an unquoted amount or PID gets a hint to quote it', () => {
    const [issue] = issuesOf(YAML_FILE.replace('value: "12.34"', 'value: 12.34'));
    assert.match(issue?.message ?? '', /write it in quotes, "12\.34"/);
  });

  it('a missing field is named as required, at the rule', () => {
    const issues = issuesOf(YAML_FILE.replace('    name: slow queries\n', ''));
    assert.deepEqual(places(issues), ['10:5 rules[1].name']);
    assert.equal(issues[0]?.message, 'name is required');
  });

  it('a rule file needs ids and partners, and ids unique', () => {
    const issues = issuesOf(
      YAML_FILE.replace('  - id: slow-queries\n', '  - priority: 1\n').replace(
        'partner: "2088101122136241"\n    service: alipay.acquire.overseas.query',
        'partner: null\n    service: alipay.acquire.overseas.query',
      ),
    );
    assert.deepEqual(places(issues), ['10:5 rules[1]', '11:14 rules[1].partner']);
    assert.match(issues[0]?.message ?? '', /^id is required/);
    const dup = issuesOf(YAML_FILE.replace('  - id: decline-1234\n', '  - id: slow-queries\n'));
    assert.deepEqual(places(dup), ['10:9 rules[1].id']);
    assert.match(dup[0]?.message ?? '', /used twice/);
  });

  it('an id leaves room for the file: prefix the server stores it under', () => {
    const long = 'x'.repeat(60);
    assert.deepEqual(places(issuesOf(YAML_FILE.replace('decline-1234', long))), ['3:9 rules[0].id']);
    assert.equal(storedFileRuleId('a'), 'file:a');
    assert.equal(storedFileRuleId('file:a'), 'file:a');
  });

  it('YAML syntax errors and an empty file are located too', () => {
    const syntax = issuesOf('version: 1\nrules:\n  - id: a\n    id: b\n');
    assert.deepEqual(places(syntax), ['4:5 (syntax)']);
    assert.deepEqual(places(issuesOf('')), ['1:1 (root)']);
  });

  it('formats an issue the way compilers do', () => {
    const issue = { line: 4, column: 7, path: 'rules[0].name', message: 'name is required' };
    assert.equal(formatRuleFileIssue('r.yaml', issue), 'r.yaml:4:7: rules[0].name: name is required');
  });

  it('a rendered file, YAML or JSON, reads back as the same rules', () => {
    const parsed = parseRuleFile(YAML_FILE);
    assert.ok(parsed.ok);
    for (const format of ['yaml', 'json'] as const) {
      const again = parseRuleFile(renderRuleFile(parsed.rules, format, 'exported'));
      assert.ok(again.ok, format);
      assert.deepEqual(again.rules.map(ruleDefinitionKey), parsed.rules.map(ruleDefinitionKey));
    }
    assert.match(renderRuleFile(parsed.rules, 'yaml'), /value: "12\.34"/);
  });
});
