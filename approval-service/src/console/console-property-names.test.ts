import { describe, expect, it } from 'vitest';
import { consoleHarness, TestBrowser } from './console-harness.case.js';

const material = {
  openIngress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
};

/** The header cells of the material table. */
function propertyCells(html: string): string[] {
  const table = /<table class="stack material">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<th scope="row">([\s\S]*?)<\/th>/g)].map((m) =>
    (m[1] as string).replace(/<[^>]+>/g, ''),
  );
}

describe('material rows in the console', () => {
  it('show the property names of the program, and where the fingerprint holds each value', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest({
      material,
      propertyNames: {
        'openIngress[0].protocol': 'ingress[0].protocol',
        'openIngress[0].fromPort': 'ingress[0].fromPort',
        'openIngress[0].toPort': 'ingress[0].toPort',
        'openIngress[0].cidr': 'ingress[0].cidrBlocks[0]',
      },
    });
    const bob = new TestBrowser(app);
    await bob.login('bob');
    const html = await (await bob.get(`/requests/${request.id}`)).text();
    expect(propertyCells(html)).toEqual([
      'ingress[0].cidrBlocks[0]fingerprinted as openIngress[0].cidr',
      'ingress[0].fromPortfingerprinted as openIngress[0].fromPort',
      'ingress[0].protocolfingerprinted as openIngress[0].protocol',
      'ingress[0].toPortfingerprinted as openIngress[0].toPort',
    ]);
    expect(html).toContain('Property names as the program writes them');
  });

  it('fall back to the material path where the pack sent no name', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest({ material });
    const bob = new TestBrowser(app);
    await bob.login('bob');
    const html = await (await bob.get(`/requests/${request.id}`)).text();
    expect(propertyCells(html)[0]).toBe('openIngress[0].cidr');
    expect(html).not.toContain('fingerprinted as');
  });
});
