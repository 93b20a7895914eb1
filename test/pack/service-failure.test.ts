import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runEngine, type RunEngineOptions } from '../engine/index.js';
import { sharedPackDir } from './pack-and-service.js';
import {
  advisory,
  mandatory,
  prod,
  securityGroup,
  serviceEnv,
  SG_POLICY,
} from './pack-fixtures.js';
import { apiTokens, startTestService } from './test-service.js';
import { defaultServiceUrl } from '@clearance/client';

const resources = [securityGroup('web'), securityGroup('api'), securityGroup('admin')];

function run(env: Record<string, string>, options: Partial<RunEngineOptions> = {}) {
  return runEngine({
    packDir: sharedPackDir(),
    stack: prod,
    dryRun: true,
    env,
    resources,
    ...options,
  });
}

/** A service address where the approval service has stopped: connections are refused. */
async function stoppedServiceUrl(): Promise<string> {
  const svc = await startTestService();
  await svc.close();
  return svc.url;
}

describe('the gate when the service is down', { timeout: 60_000 }, () => {
  it('fails closed: every sensitive resource is blocked, saying the service was unreachable', async () => {
    const url = await stoppedServiceUrl();
    const { diagnostics } = await run(serviceEnv({ url }));
    const violations = mandatory(diagnostics);
    expect(violations).toHaveLength(3);
    for (const v of violations) {
      expect(v.message).toContain(`The approval service at ${url} was unreachable.`);
      expect(v.message).toContain('Fail mode "closed" applied');
    }
  });

  it('lets a compliant stack through: the approvals fetched ahead at its first resource fail unseen', async () => {
    const url = await stoppedServiceUrl();
    const compliant = [
      securityGroup('private', '10.0.0.0/16'),
      securityGroup('vpn', '10.8.0.0/16'),
    ];
    const { diagnostics } = await run(serviceEnv({ url }), { resources: compliant });
    expect(diagnostics).toEqual([]);
  });

  it('only warns under fail open, set through the policy config', async () => {
    const url = await stoppedServiceUrl();
    const policyConfig = { [SG_POLICY]: { properties: { failMode: 'open' } } };
    const { diagnostics } = await run(serviceEnv({ url }), { policyConfig });
    expect(mandatory(diagnostics)).toEqual([]);
    expect(advisory(diagnostics)).toHaveLength(3);
    expect(advisory(diagnostics)[0]?.message).toMatch(/unreachable[\s\S]*Fail mode "open" applied/);
  });

  it('never hangs: a service that does not answer blocks within the configured timeout', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const result = await run(serviceEnv({ url }, { CLEARANCE_TIMEOUT_MS: '500' }));
      const violations = mandatory(result.diagnostics);
      expect(violations).toHaveLength(3);
      expect(violations[0]?.message).toContain(`was unreachable (no answer within 500 ms)`);
      // One shared attempt for the whole run: well under the 5 s default timeout.
      expect(result.analyzeMs).toBeLessThan(4000);
    } finally {
      silent.close();
    }
  });

  it('asks the default service (as the CLI does) when none is configured, and blocks', async () => {
    const { diagnostics } = await run({
      CLEARANCE_URL: '',
      CLEARANCE_TOKEN: apiTokens.carol,
      CLEARANCE_FAIL_MODE: 'open',
    });
    const violations = mandatory(diagnostics);
    expect(violations).toHaveLength(3);
    // Unreachable on most machines; a service of someone else's there refuses the test token.
    expect(violations[0]?.message).toContain(defaultServiceUrl);
  });

  it('blocks with a clear message on invalid settings instead of crashing', async () => {
    const policyConfig = { [SG_POLICY]: { properties: { stacks: ['prod'] } } };
    const { diagnostics } = await run({}, { policyConfig });
    expect(mandatory(diagnostics)[0]?.message).toMatch(
      /config of the approval gate is invalid[\s\S]*policy config "stacks": expected a pattern on org\/project\/stack/,
    );
  });
});
