import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Gate, GatePreparation, GateRequest } from '../gate/gate.js';
import { finding, resource } from '../testing/index.js';
import { clearancePolicies, clearanceRunRecord } from './clearance-policies.js';
import { configureClearance, packGate, withPackSettings } from './pack-gate.js';
import { requireApproval } from './require-approval.js';

function recordingGate() {
  const requests: GateRequest[] = [];
  const prepared: GatePreparation[] = [];
  const gate: Gate = {
    prepare: (preparation) => prepared.push(preparation),
    check: async (request) => {
      requests.push(request);
      return { level: 'pass' };
    },
    finishRun: async () => [],
  };
  return { gate, requests, prepared };
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
    const sdk = { getStack: vi.fn() };
    let imported = false;
    let sdkImported = false;
    let httpRead = false;
    const response = Object.getOwnPropertyDescriptor(globalThis, 'Response');
    vi.resetModules();
    vi.doMock('../gate/process-gate.js', () => {
      imported = true;
      return { createProcessGate: created };
    });
    vi.doMock('@pulumi/pulumi', () => {
      sdkImported = true;
      return sdk;
    });
    // Reading `Response` is what loads the HTTP stack behind `fetch`.
    Object.defineProperty(globalThis, 'Response', {
      configurable: true,
      get: () => {
        httpRead = true;
        return (response?.get ? response.get.call(globalThis) : response?.value) as unknown;
      },
    });
    try {
      const fresh = await import('./pack-gate.js');
      fresh.packGate();
      await vi.waitFor(() => expect([imported, sdkImported, httpRead]).toEqual([true, true, true]));
      expect(created).not.toHaveBeenCalled();
      expect(sdk.getStack).not.toHaveBeenCalled();
      expect(await fresh.packGate().finishRun()).toEqual([]);
    } finally {
      if (response) Object.defineProperty(globalThis, 'Response', response);
      vi.doUnmock('../gate/process-gate.js');
      vi.doUnmock('@pulumi/pulumi');
      vi.resetModules();
    }
  });

  it('gives every policy the settings set once for the pack, under the policy’s own config', async () => {
    configureClearance({ serviceUrl: 'https://clearance.example', failMode: 'open' });
    const { gate, requests, prepared } = recordingGate();
    const withSettings = withPackSettings(gate);
    withSettings.prepare({ policy: 'p', config: { timeoutMs: 100 } });
    await withSettings.check(request({}));
    await withSettings.check(request({ failMode: 'closed' }));
    expect(prepared).toEqual([
      {
        policy: 'p',
        config: { serviceUrl: 'https://clearance.example', failMode: 'open', timeoutMs: 100 },
      },
    ]);
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
