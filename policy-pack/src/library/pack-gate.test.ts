import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Gate, GateRequest } from '../gate/gate.js';
import { finding, resource } from '../testing/index.js';
import { clearancePolicies, clearanceRunRecord } from './clearance-policies.js';
import { configureClearance, packGate, withPackSettings } from './pack-gate.js';
import { requireApproval } from './require-approval.js';

function recordingGate() {
  const requests: GateRequest[] = [];
  const gate: Gate = {
    check: async (request) => {
      requests.push(request);
      return { level: 'pass' };
    },
    finishRun: async () => [],
  };
  return { gate, requests };
}

const request = (config: Record<string, unknown>): GateRequest => ({
  policy: 'p',
  resource: resource(),
  finding: finding(),
  config,
});

describe('the pack gate', () => {
  afterEach(() => configureClearance({}));

  it('is one gate for the whole pack process', () => {
    expect(packGate()).toBe(packGate());
  });

  it('loads the gate’s modules once made, off the first check, and calls nothing in them', async () => {
    const created = vi.fn();
    let imported = false;
    vi.resetModules();
    vi.doMock('../gate/process-gate.js', () => {
      imported = true;
      return { createProcessGate: created };
    });
    try {
      const fresh = await import('./pack-gate.js');
      fresh.packGate();
      await vi.waitFor(() => expect(imported).toBe(true));
      expect(created).not.toHaveBeenCalled();
      expect(await fresh.packGate().finishRun()).toEqual([]);
    } finally {
      vi.doUnmock('../gate/process-gate.js');
      vi.resetModules();
    }
  });

  it('gives every policy the settings set once for the pack, under the policy’s own config', async () => {
    configureClearance({ serviceUrl: 'https://clearance.example', failMode: 'open' });
    const { gate, requests } = recordingGate();
    const withSettings = withPackSettings(gate);
    await withSettings.check(request({}));
    await withSettings.check(request({ failMode: 'closed' }));
    expect(requests.map((r) => r.config)).toEqual([
      { serviceUrl: 'https://clearance.example', failMode: 'open' },
      { serviceUrl: 'https://clearance.example', failMode: 'closed' },
    ]);
  });

  it('refuses invalid pack settings at once, naming them', () => {
    expect(() => configureClearance({ failMode: 'sometimes' as 'open' })).toThrow(
      /configureClearance: .*failMode/,
    );
  });
});

describe('clearancePolicies and clearanceRunRecord', () => {
  it('make one gated policy per rule and the run record', () => {
    const { gate } = recordingGate();
    const rule = {
      name: 'team-rule',
      description: 'A team rule.',
      resourceTypes: ['*'],
      configSchema: { properties: {} },
      defaults: {},
      detect: () => undefined,
    };
    expect(clearancePolicies([rule], { gate }).map((p) => p.name)).toEqual([
      'team-rule',
      'clearance-run-record',
    ]);
    expect(clearanceRunRecord({ gate }).name).toBe('clearance-run-record');
  });

  it('default to the pack gate', () => {
    const policy = requireApproval({ name: 'x', description: 'x', validateResource: () => {} });
    expect(policy.name).toBe('x');
    expect(clearancePolicies([]).map((p) => p.name)).toEqual(['clearance-run-record']);
  });
});
