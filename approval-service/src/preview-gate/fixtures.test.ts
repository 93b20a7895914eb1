import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printAsPulumi } from './pulumi-json.js';
import { previewFixture } from './test-service.case.js';

/*
 * The fixtures must read exactly as `pulumi preview --json` prints: the Go structs
 * `PreviewDigest` / `PreviewStep` (sdk/go/common/display/json.go) and `apitype.ResourceV3`
 * (sdk/go/common/apitype/core.go), rendered by `json.MarshalIndent(&digest, "", "    ")`
 * (pkg/backend/display/json.go). Struct fields come in declaration order, map keys sorted,
 * `omitempty` fields only when set.
 */
const digestFields = [
  'config',
  'steps',
  'diagnostics',
  'duration',
  'changeSummary',
  'maybeCorrupt',
];
const stepFields = [
  'op',
  'urn',
  'provider',
  'oldState',
  'newState',
  'diffReasons',
  'replaceReasons',
  'detailedDiff',
];
const stateFields = [
  'urn',
  'custom',
  'delete',
  'id',
  'type',
  'inputs',
  'outputs',
  'parent',
  'protect',
  'external',
  'dependencies',
  'initErrors',
  'provider',
  'propertyDependencies',
  'pendingReplacement',
  'additionalSecretOutputs',
  'aliases',
  'customTimeouts',
  'importID',
  'retainOnDelete',
  'deletedWith',
  'created',
  'modified',
  'sourcePosition',
  'stackTrace',
  'ignoreChanges',
  'replaceOnChanges',
];
/** Fields Go always writes (no `omitempty`). */
const alwaysWritten = new Set(['op', 'urn', 'detailedDiff', 'custom', 'type']);
const diagnosticFields = ['urn', 'prefix', 'message', 'severity'];
/** A diagnostic's `urn` is `omitempty`: the engine's own messages have none. */
const diagnosticAlwaysWritten = new Set(['message', 'severity']);

const fixtures = readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) =>
  f.endsWith('.json'),
);
type Json = Record<string, unknown>;

/** Problems with one Go struct rendering: unknown or misordered fields, empty `omitempty` ones. */
function structProblems(
  where: string,
  value: Json,
  fields: string[],
  always: Set<string> = alwaysWritten,
): string[] {
  const keys = Object.keys(value);
  const problems = keys.filter((k) => !fields.includes(k)).map((k) => `${where}: unknown ${k}`);
  const order = keys.filter((k) => fields.includes(k));
  const sorted = [...order].sort((a, b) => fields.indexOf(a) - fields.indexOf(b));
  if (order.join() !== sorted.join()) problems.push(`${where}: fields out of order: ${order}`);
  for (const field of fields) {
    if (always.has(field) && !(field in value)) problems.push(`${where}: ${field} is missing`);
    const v = value[field];
    const empty =
      v === false ||
      v === '' ||
      v === 0 ||
      v === null ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
    if (field in value && !always.has(field) && empty)
      problems.push(`${where}: ${field} is empty but omitempty`);
  }
  return problems;
}

/** Problems with a Go map rendering: its keys must be sorted. */
function mapProblems(where: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const keys = Object.keys(value as Json);
  return keys.join() === [...keys].sort().join() ? [] : [`${where}: map keys not sorted`];
}

/** Go's time.Time in JSON: RFC 3339 with nanoseconds, trailing zeros of the fraction dropped. */
const goTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?(Z|[+-]\d\d:\d\d)$/;

function shapeProblems(name: string, digest: Json): string[] {
  const problems = [
    ...structProblems(name, digest, digestFields),
    ...mapProblems(`${name} config`, digest.config),
    ...mapProblems(`${name} changeSummary`, digest.changeSummary),
  ];
  ((digest.diagnostics ?? []) as Json[]).forEach((d, i) =>
    problems.push(
      ...structProblems(`${name} diagnostics[${i}]`, d, diagnosticFields, diagnosticAlwaysWritten),
    ),
  );
  ((digest.steps ?? []) as Json[]).forEach((step, i) => {
    const at = `${name} steps[${i}]`;
    problems.push(...structProblems(at, step, stepFields));
    problems.push(...mapProblems(`${at}.detailedDiff`, step.detailedDiff));
    for (const which of ['oldState', 'newState'] as const) {
      const state = step[which] as Json | undefined;
      if (!state) continue;
      problems.push(...structProblems(`${at}.${which}`, state, stateFields));
      for (const map of ['inputs', 'outputs', 'propertyDependencies'])
        problems.push(...mapProblems(`${at}.${which}.${map}`, state[map]));
      for (const time of ['created', 'modified']) {
        const value = state[time];
        if (value !== undefined && !goTime.test(String(value)))
          problems.push(`${at}.${which}.${time}: ${String(value)} is not how Go prints a time`);
      }
    }
  });
  return problems;
}

describe('preview fixtures', () => {
  it('are all here', () => {
    expect(fixtures.sort()).toEqual([
      'delete-database.json',
      'failed-preview.json',
      'replace-database-forced.json',
      'replace-database-steps.json',
      'replace-database.json',
      'update-only.json',
    ]);
  });

  it.each(fixtures)('%s is laid out byte for byte as the Pulumi CLI prints it', (name) => {
    const text = previewFixture(name);
    expect(text).toBe(printAsPulumi(JSON.parse(text)));
  });

  it.each(fixtures)('%s has the fields of the Go structs, in their order', (name) => {
    expect(shapeProblems(name, JSON.parse(previewFixture(name)) as Json)).toEqual([]);
  });
});

describe('the fixture checks', () => {
  const step = (over: Json = {}): Json => ({
    op: 'delete',
    urn: 'urn:pulumi:s::p::t::n',
    oldState: { urn: 'urn:pulumi:s::p::t::n', custom: true, type: 't', inputs: { a: 1, b: 2 } },
    ...over,
    detailedDiff: null,
  });

  it('pass a digest shaped as Go writes it', () => {
    expect(shapeProblems('x', { steps: [step()], changeSummary: { delete: 1 } })).toEqual([]);
  });

  it('catch what Go would never print', () => {
    const { op, ...noOp } = step();
    const problems = shapeProblems('x', {
      steps: [
        { urn: 'urn:pulumi:s::p::t::n', op, detailedDiff: null },
        step({ diffReasons: [] }),
        noOp,
        step({ oldState: { type: 't', urn: 'u', custom: true, inputs: { b: 1, a: 2 } } }),
        step({
          oldState: { urn: 'u', custom: true, type: 't', created: '2025-01-01T00:00:00.10Z' },
        }),
      ],
      changeSummary: { same: 1, delete: 1 },
      extra: true,
    });
    expect(problems).toEqual([
      'x: unknown extra',
      'x changeSummary: map keys not sorted',
      'x steps[0]: fields out of order: urn,op,detailedDiff',
      'x steps[1]: diffReasons is empty but omitempty',
      'x steps[2]: op is missing',
      'x steps[3].oldState: fields out of order: type,urn,custom,inputs',
      'x steps[3].oldState.inputs: map keys not sorted',
      'x steps[4].oldState.created: 2025-01-01T00:00:00.10Z is not how Go prints a time',
    ]);
    expect(printAsPulumi({ a: ['<b>&'] })).toBe(
      '{\n    "a": [\n        "\\u003cb\\u003e\\u0026"\n    ]\n}\n',
    );
  });
});
