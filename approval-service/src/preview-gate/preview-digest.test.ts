import { describe, expect, it } from 'vitest';
import { parsePreviewDigest, previewErrors } from './preview-digest.js';
import { previewFixture } from './test-service.case.js';

describe('parsePreviewDigest', () => {
  it('reads every fixture shaped as `pulumi preview --json` prints it', () => {
    const firstOps = Object.fromEntries(
      [
        'delete-database.json',
        'replace-database.json',
        'replace-database-forced.json',
        'replace-database-steps.json',
        'update-only.json',
        'failed-preview.json',
      ].map((name) => [name, parsePreviewDigest(previewFixture(name)).steps?.[0]?.op]),
    );
    // `pulumi destroy --preview-only` lists only deletes; a preview starts with the stack.
    expect(firstOps).toEqual({
      'delete-database.json': 'delete',
      'replace-database.json': 'same',
      'replace-database-forced.json': 'same',
      'replace-database-steps.json': 'same',
      'update-only.json': 'same',
      'failed-preview.json': 'same',
    });
  });

  it('keeps what a step says about the change', () => {
    const [, step] = parsePreviewDigest(previewFixture('replace-database.json')).steps ?? [];
    expect(step).toMatchObject({
      op: 'replace',
      replaceReasons: ['engine'],
      // The (stand-in) provider reports which keys replace, not a detailed diff.
      detailedDiff: null,
      oldState: { id: 'orders-764e1e58', type: 'aws:rds/instance:Instance' },
    });
  });

  it('reads a digest without steps, and one from a newer CLI with more fields', () => {
    expect(parsePreviewDigest('{"changeSummary": {"same": 1}}').steps).toBeUndefined();
    const newer = {
      steps: [{ op: 'delete', urn: 'urn:pulumi:s::p::t::n', futureField: 1 }],
      futureTop: true,
    };
    expect(parsePreviewDigest(JSON.stringify(newer)).steps?.[0]).toMatchObject({ futureField: 1 });
  });

  it('says when the input is not JSON, and hints at mixed output', () => {
    expect(() => parsePreviewDigest('{"steps": [', 'preview.json')).toThrow(
      /^preview\.json is not JSON: /,
    );
    expect(() => parsePreviewDigest('Previewing update (prod):\n', 'preview.json')).toThrow(
      /was the preview run with --json/,
    );
  });

  it('says when JSON is not preview output', () => {
    for (const text of ['[]', '"steps"', 'null', '{"resources": []}']) {
      expect(() => parsePreviewDigest(text)).toThrow(
        'is JSON but not the output of `pulumi preview --json`',
      );
    }
  });

  it('points at the part of a digest that has the wrong shape', () => {
    const text = JSON.stringify({
      steps: [{ op: 'same', urn: 'urn:pulumi:s::p::t::n' }, { urn: 'urn:pulumi:s::p::t::m' }],
    });
    expect(() => parsePreviewDigest(text)).toThrow('at .steps[1].op');
    expect(() => parsePreviewDigest('{"steps": [{"op": "delete", "urn": "arn:aws:x"}]}')).toThrow(
      'expected a Pulumi URN',
    );
  });
});

describe('previewErrors', () => {
  it('lists the errors a failed preview reported', () => {
    const errors = previewErrors(parsePreviewDigest(previewFixture('failed-preview.json')));
    // Policy violations are not in the JSON digest: only the engine's own error is.
    expect(errors).toEqual(['error: preview failed']);
    expect(previewErrors(parsePreviewDigest(previewFixture('delete-database.json')))).toEqual([]);
  });
});
