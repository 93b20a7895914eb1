import { z } from 'zod';
import { ClearanceError } from '@clearance/client';

/*
 * The document `pulumi preview --json` prints, as defined in the Pulumi source:
 * `PreviewDigest` and `PreviewStep` in sdk/go/common/display/json.go (built by
 * `ShowPreviewDigest` in pkg/backend/display/json.go), with each state an `apitype.ResourceV3`
 * (sdk/go/common/apitype/core.go). Steps are listed as the engine generates them; a replacement
 * shows as one logical `replace` step, or as `create-replacement` / `replace` /
 * `delete-replaced` with `--show-replacement-steps`. Secrets in states read "[secret]".
 * Fields this gate does not read are kept but not checked, so newer CLIs still parse.
 */

const resourceState = z.looseObject({
  urn: z.string(),
  custom: z.boolean().optional(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  type: z.string(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  parent: z.string().optional(),
  protect: z.boolean().optional(),
  retainOnDelete: z.boolean().optional(),
});

const propertyDiff = z.looseObject({ kind: z.string(), inputDiff: z.boolean().optional() });

const previewStep = z.looseObject({
  op: z.string().min(1),
  urn: z.string().startsWith('urn:pulumi:', 'expected a Pulumi URN'),
  provider: z.string().optional(),
  oldState: resourceState.nullish(),
  newState: resourceState.nullish(),
  diffReasons: z.array(z.string()).nullish(),
  replaceReasons: z.array(z.string()).nullish(),
  detailedDiff: z.record(z.string(), propertyDiff).nullish(),
});

const diagnostic = z.looseObject({
  urn: z.string().optional(),
  message: z.string().optional(),
  severity: z.string().optional(),
});

const previewDigest = z.looseObject({
  config: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(previewStep).optional(),
  diagnostics: z.array(diagnostic).optional(),
  duration: z.number().optional(),
  changeSummary: z.record(z.string(), z.number()).optional(),
  maybeCorrupt: z.boolean().optional(),
});

export type ResourceState = z.infer<typeof resourceState>;
export type PreviewStep = z.infer<typeof previewStep>;
export type PreviewDigest = z.infer<typeof previewDigest>;

function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`),
    '',
  );
}

/**
 * Parses the output of `pulumi preview --json`. Throws ERR_VALIDATION with a message a person
 * can act on when the text is not JSON, or is JSON but not a preview digest.
 */
export function parsePreviewDigest(text: string, source = 'the input'): PreviewDigest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const hint = text.trimStart().startsWith('{')
      ? ''
      : ' (was the preview run with --json, and stdout alone saved?)';
    throw new ClearanceError('ERR_VALIDATION', `${source} is not JSON: ${why}${hint}`);
  }
  const looksLikeDigest =
    json !== null &&
    typeof json === 'object' &&
    !Array.isArray(json) &&
    ('steps' in json || 'changeSummary' in json);
  if (!looksLikeDigest) {
    throw new ClearanceError(
      'ERR_VALIDATION',
      `${source} is JSON but not the output of \`pulumi preview --json\`: expected an object with "steps"`,
    );
  }
  const parsed = previewDigest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issuePath(issue.path) : '';
    throw new ClearanceError(
      'ERR_VALIDATION',
      `${source} is not the output of \`pulumi preview --json\`: at ${where || 'the top'}: ${issue?.message ?? 'unexpected shape'}`,
    );
  }
  return parsed.data;
}

/** Errors the preview itself reported: a failed preview says nothing reliable about its steps. */
export function previewErrors(digest: PreviewDigest): string[] {
  return (digest.diagnostics ?? [])
    .filter((d) => d.severity === 'error')
    .map((d) => (d.message ?? '').trim());
}
