import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { collectResources } from './test/collect-resources.js';
import { approvalSigner, approvalsFetch, type SignedApproval } from './test/approval-fixture.js';
import { stubbedService } from './test/example-program.js';
import { currentStackName, whileApproved, type Temporary } from './while-approved.js';

const type = 'test:index:Thing';
const start = new Date('2026-01-05T10:00:00Z');
const service = stubbedService;
const mocks = { project: 'proj', stack: 'dev', organization: 'acme' };

class Thing extends pulumi.CustomResource {
  constructor(name: string) {
    super(type, name, {}, {});
  }
}

let signer: Awaited<ReturnType<typeof approvalSigner>>;
let approval: SignedApproval;
beforeAll(async () => {
  signer = await approvalSigner();
  approval = await signer.sign({
    stack: 'acme/proj/dev',
    urn: `urn:pulumi:dev::proj::${type}::thing`,
    policy: 'p',
    at: start,
    seconds: 600,
  });
});

function options(now: Date) {
  return {
    settings: service,
    clock: new ManualClock(now),
    fetch: approvalsFetch(() => [approval], signer.jwks),
  };
}

describe('whileApproved', () => {
  it('names the stack as the service does', async () => {
    const { program } = await collectResources(async () => currentStackName(), mocks);
    expect(program).toBe('acme/proj/dev');
  });

  it('creates the resource while approved, under the URN it looked up', async () => {
    const { resources, program } = await collectResources(
      () => whileApproved({ name: 'thing', type }, (name) => new Thing(name), options(start)),
      mocks,
    );
    expect(resources.map((r) => r.urn)).toEqual([`urn:pulumi:dev::proj::${type}::thing`]);
    expect(program).toMatchObject({ status: 'approved', expiresAt: '2026-01-05T10:10:00.000Z' });
  });

  it('does not call create at all once the approval has expired', async () => {
    let created = 0;
    const { resources, program } = await collectResources(
      () =>
        whileApproved(
          { name: 'thing', type },
          (name) => {
            created += 1;
            return new Thing(name);
          },
          options(new Date('2026-01-05T10:10:00Z')),
        ),
      mocks,
    );
    expect(created).toBe(0);
    expect(resources).toEqual([]);
    expect((program as Temporary<Thing>).status).toBe('absent');
  });

  it('fails the run with one line, declaring nothing, when the service cannot be asked', async () => {
    const unreachable = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    for (const requested of [[], '*'] as (string[] | '*')[]) {
      let created = 0;
      const failed = collectResources(
        () =>
          whileApproved(
            { name: 'thing', type },
            (name) => {
              created += 1;
              return new Thing(name);
            },
            { ...options(start), settings: { ...service, requested }, fetch: unreachable },
          ),
        mocks,
      );
      await expect(failed).rejects.toThrow(pulumi.RunError);
      await expect(failed).rejects.toThrow(
        /^temporary thing: the approval service could not be asked: .*; the run stops and leaves it as it is/,
      );
      expect(created).toBe(0);
    }
  });

  it('leaves the resource out, so the update removes it, only when the service lists no approval', async () => {
    const none = approvalsFetch(() => [], signer.jwks);
    const { resources, program } = await collectResources(
      () =>
        whileApproved({ name: 'thing', type }, (name) => new Thing(name), {
          ...options(start),
          fetch: none,
        }),
      mocks,
    );
    expect(resources).toEqual([]);
    expect(program).toMatchObject({
      status: 'absent',
      reason: expect.stringContaining('no approval is active'),
    });
  });

  it('fails the program when the resource it created has another URN than the one looked up', async () => {
    await expect(
      collectResources(
        () =>
          whileApproved({ name: 'thing', type: 'test:index:Other' }, (name) => new Thing(name), {
            ...options(start),
            settings: { ...service, requested: '*' },
          }),
        mocks,
      ),
    ).rejects.toThrow(
      `has the URN urn:pulumi:dev::proj::${type}::thing, but its approval was looked up for`,
    );
  });
});
