import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  serveOnLoopback,
  startTestCiIssuer,
  type LoopbackServer,
  type TestCiIssuer,
} from '@clearance/approval-service/testing';
import { runEngine } from '../engine/index.js';
import { sharedPackDir } from './pack-and-service.js';
import { mandatory, prod, securityGroup } from './pack-fixtures.js';
import { startTestService, type TestService } from './test-service.js';

/**
 * The built pack in a GitHub Actions job without a Clearance secret: it asks a stand-in of the
 * runner's token endpoint for its OIDC ID token (signed by a local issuer that serves its JWKS),
 * opens the request with it, and sends the run's reason and link; the service records the
 * pipeline and who triggered it.
 */
let issuer: TestCiIssuer;
let runner: LoopbackServer;
let svc: TestService;
const audiences: string[] = [];

beforeAll(async () => {
  issuer = await startTestCiIssuer();
  runner = await serveOnLoopback(async (request) => {
    const audience = new URL(request.url).searchParams.get('audience') ?? '';
    audiences.push(audience);
    if (request.headers.get('authorization') !== 'bearer runner-secret') {
      return new Response('forbidden', { status: 403 });
    }
    return Response.json({ value: await issuer.github({ audience }) });
  });
  svc = await startTestService({
    config: {
      ciIdentity: {
        issuers: [
          {
            name: 'github',
            kind: 'github',
            issuer: issuer.url,
            audience: 'https://clearance.example.com',
            jwksUri: issuer.jwksUri,
            conditions: { repository: 'acme/infra', ref: 'refs/heads/main' },
            groups: ['deployers'],
            logins: { 'alice-gh': 'alice' },
          },
        ],
      },
    },
  });
});

afterAll(async () => {
  await svc.close();
  await runner.close();
  await issuer.close();
});

describe('the pack authenticates with the CI run’s own OIDC ID token', { timeout: 60_000 }, () => {
  it('opens the request as the pipeline, with the run’s reason and link', async () => {
    const env = {
      CLEARANCE_URL: svc.url,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${runner.url}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-secret',
      CLEARANCE_OIDC_AUDIENCE: 'https://clearance.example.com',
      CLEARANCE_REASON: 'PR #12: open the bastion',
      CLEARANCE_CONTEXT_URL: 'https://github.com/acme/infra/pull/12',
    };
    const { diagnostics } = await runEngine({
      packDir: sharedPackDir(),
      stack: prod,
      dryRun: true,
      env,
      resources: [securityGroup('bastion')],
    });
    expect(mandatory(diagnostics)).toHaveLength(1);
    expect(audiences).toEqual(['https://clearance.example.com']);
    const [request] = await svc.services.requests.listRequests({});
    expect(request).toMatchObject({
      requester: 'github:acme/infra',
      reason: 'PR #12: open the bastion',
      contextUrl: 'https://github.com/acme/infra/pull/12',
      pipeline: {
        repository: 'acme/infra',
        workflow: 'deploy',
        runUrl: 'https://github.com/acme/infra/actions/runs/4242',
        ref: 'refs/heads/main',
        triggeredBy: 'alice-gh',
        user: 'alice',
      },
    });
    expect(svc.services.requests.eligibility(svc.actor('alice'), request!)).toMatchObject({
      canDecide: false,
    });
  });
});
