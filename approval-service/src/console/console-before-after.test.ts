import { describe, expect, it } from 'vitest';
import { actors, consoleHarness, TestBrowser } from './console-harness.case.js';

const urn = 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::bastion';
const ssh = (toPort: number) => ({
  openIngress: [{ protocol: 'tcp', fromPort: 22, toPort, cidr: '0.0.0.0/0' }],
});

/** The rows of a comparison table by caption: [property, left, right, change, marked]. */
function comparison(html: string, caption: string): string[][] {
  const at = html.indexOf(`<caption>${caption}</caption>`);
  if (at < 0) return [];
  const table = html.slice(at, html.indexOf('</table>', at));
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr( class="changed")?>([\s\S]*?)<\/tr>/g)].map((m) => [
    ...[...(m[2] as string).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      (c[1] as string).replace(/<[^>]+>/g, ''),
    ),
    m[1] ? 'marked' : '',
  ]);
}

describe('before and after on the request page', () => {
  it('shows the last approved request for the same stack, URN and policy beside the new one, changed rows marked', async () => {
    const { app, openRequest, services } = await consoleHarness();
    const approved = await openRequest({ urn, material: ssh(22) });
    for (const who of [actors.alice, actors.bob]) {
      await services.requests.review(who, approved.id, { decision: 'approve', reason: 'ok' });
    }
    const denied = await openRequest({ urn, material: ssh(24) });
    await services.requests.review(actors.bob, denied.id, { decision: 'deny', reason: 'no' });
    const now = await openRequest({ urn, material: ssh(23) });

    const bob = new TestBrowser(app);
    await bob.login('bob');
    const html = await (await bob.get(`/requests/${now.id}`)).text();
    expect(html).toContain(`<a href="/requests/${approved.id}">${approved.id}</a>`);
    expect(html).toContain('1 of 4 properties differ.');
    expect(comparison(html, 'Compared with the last approval')).toEqual([
      ['openIngress[0].cidr', '0.0.0.0/0', '0.0.0.0/0', 'same', ''],
      ['openIngress[0].fromPort', '22', '22', 'same', ''],
      ['openIngress[0].protocol', 'tcp', 'tcp', 'same', ''],
      ['openIngress[0].toPort', '22', '23', 'changed', 'marked'],
    ]);

    const first = await (await bob.get(`/requests/${approved.id}`)).text();
    expect(first).toContain('No earlier approval of this resource under this policy.');
  });

  it('tells two secrets apart by their hash without showing either', async () => {
    const { app, openRequest, services } = await consoleHarness();
    const secret = (hash: string) => ({ externalId: { $secretSha256: hash.repeat(64) } });
    const approved = await openRequest({ urn, material: secret('a') });
    for (const who of [actors.alice, actors.bob]) {
      await services.requests.review(who, approved.id, { decision: 'approve', reason: 'ok' });
    }
    const now = await openRequest({ urn, material: secret('b') });
    const bob = new TestBrowser(app);
    await bob.login('bob');
    const html = await (await bob.get(`/requests/${now.id}`)).text();
    expect(comparison(html, 'Compared with the last approval')).toEqual([
      ['externalId', '[secret]', '[secret]', 'changed', 'marked'],
    ]);
    expect(html).not.toContain('a'.repeat(64));
  });

  it('shows the states a preview sent for a delete or replacement, changed rows marked', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest({
      urn: 'urn:pulumi:prod::shop::aws:rds/instance:Instance::orders',
      type: 'aws:rds/instance:Instance',
      policy: 'pulumi-delete-replace',
      material: { operation: 'replace', id: 'orders-db', replaceReasons: ['engine'] },
      previewStates: {
        before: { engine: 'postgres', allocatedStorage: 20, password: '[secret]' },
        after: { engine: 'mysql', allocatedStorage: 20, password: '[secret]' },
      },
    });
    const bob = new TestBrowser(app);
    await bob.login('bob');
    const html = await (await bob.get(`/requests/${request.id}`)).text();
    expect(comparison(html, 'From the preview')).toEqual([
      ['allocatedStorage', '20', '20', 'same', ''],
      ['engine', 'postgres', 'mysql', 'changed', 'marked'],
      ['password', '[secret]', '[secret]', 'same', ''],
    ]);
    expect(html).toContain('not covered by the fingerprint');
  });
});
