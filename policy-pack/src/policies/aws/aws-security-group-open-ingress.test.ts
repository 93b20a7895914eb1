import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_PLACEHOLDER } from '../../sensitive-rule.js';
import {
  awsSecurityGroupOpenIngress as rule,
  type SecurityGroupOpenIngressConfig,
} from './aws-security-group-open-ingress.js';
import { baseline, baselines, materialKey, resource } from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { awsTypes } from '../support/aws-types.js';

const any: SecurityGroupOpenIngressConfig = rule.defaults;
const ssh: SecurityGroupOpenIngressConfig = { ports: [22] };
const baseRule = baselines.securityGroup.ingress[0];
const inline = (change: object) =>
  baseline('securityGroup', { ingress: [{ ...baseRule, ...change }] });

describe('aws-security-group-open-ingress: compliant baselines', () => {
  it.each([
    'securityGroup',
    'defaultSecurityGroup',
    'securityGroupRule',
    'securityGroupIngressRule',
  ] as const)('%s', (name) => {
    expect(rule.detect(baseline(name), any)).toBeUndefined();
  });

  it('inspects exactly the four security group types', () => {
    expect([...rule.resourceTypes].sort()).toEqual(
      [
        awsTypes.securityGroup,
        awsTypes.defaultSecurityGroup,
        awsTypes.securityGroupRule,
        awsTypes.securityGroupIngressRule,
      ].sort(),
    );
  });
});

describe('aws-security-group-open-ingress: one field at a time', () => {
  it('inline ingress from 0.0.0.0/0', () => {
    const f = rule.detect(inline({ cidrBlocks: ['0.0.0.0/0'] }), any);
    expect(f).toEqual({
      summary: 'ingress from 0.0.0.0/0 on tcp port 443',
      material: {
        openIngress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0' }],
      },
      unknown: false,
      propertyNames: {
        'openIngress[0].protocol': 'ingress[0].protocol',
        'openIngress[0].fromPort': 'ingress[0].fromPort',
        'openIngress[0].toPort': 'ingress[0].toPort',
        'openIngress[0].cidr': 'ingress[0].cidrBlocks[0]',
      },
    });
  });

  it('names each material row as the program writes it, the material staying in its own order', () => {
    const f = rule.detect(
      baseline('securityGroup', {
        ingress: [
          { ...baseRule, fromPort: 22, toPort: 22, cidrBlocks: ['10.0.0.0/8', '0.0.0.0/0'] },
          { protocol: '-1', fromPort: 0, toPort: 0, ipv6CidrBlocks: ['::/0'] },
        ],
      }),
      any,
    );
    expect(f?.material).toEqual({
      openIngress: [
        { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
        { protocol: '-1', cidr: '::/0' },
      ],
    });
    expect(f?.propertyNames).toEqual({
      'openIngress[0].protocol': 'ingress[0].protocol',
      'openIngress[0].fromPort': 'ingress[0].fromPort',
      'openIngress[0].toPort': 'ingress[0].toPort',
      'openIngress[0].cidr': 'ingress[0].cidrBlocks[1]',
      'openIngress[1].protocol': 'ingress[1].protocol',
      'openIngress[1].cidr': 'ingress[1].ipv6CidrBlocks[0]',
    });
    const standalone = rule.detect(
      baseline('securityGroupIngressRule', { cidrIpv4: '0.0.0.0/0' }),
      any,
    );
    expect(standalone?.propertyNames).toMatchObject({
      'openIngress[0].protocol': 'ipProtocol',
      'openIngress[0].cidr': 'cidrIpv4',
    });
    const legacy = rule.detect(
      baseline('securityGroupRule', { type: 'ingress', cidrBlocks: ['0.0.0.0/0'] }),
      any,
    );
    expect(legacy?.propertyNames?.['openIngress[0].cidr']).toBe('cidrBlocks[0]');
  });

  it('inline ingress from ::/0', () => {
    const f = rule.detect(inline({ ipv6CidrBlocks: ['::/0'] }), any);
    expect(f?.material).toEqual({
      openIngress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '::/0' }],
    });
  });

  it('default security group ingress of all traffic from the internet', () => {
    const f = rule.detect(
      baseline('defaultSecurityGroup', {
        ingress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      }),
      any,
    );
    expect(f?.summary).toBe('ingress from 0.0.0.0/0 on all traffic');
    expect(f?.material).toEqual({ openIngress: [{ protocol: '-1', cidr: '0.0.0.0/0' }] });
  });

  it('open egress is not ingress', () => {
    expect(rule.detect(baseline('securityGroup'), any)).toBeUndefined();
    expect(
      rule.detect(
        baseline('securityGroupRule', { type: 'egress', cidrBlocks: ['0.0.0.0/0'] }),
        any,
      ),
    ).toBeUndefined();
  });

  it('SecurityGroupRule of type ingress from 0.0.0.0/0', () => {
    const f = rule.detect(baseline('securityGroupRule', { cidrBlocks: ['0.0.0.0/0'] }), any);
    expect(f?.material).toEqual({
      openIngress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0' }],
    });
  });

  it('vpc SecurityGroupIngressRule with cidrIpv4 0.0.0.0/0 or cidrIpv6 ::/0', () => {
    const v4 = rule.detect(baseline('securityGroupIngressRule', { cidrIpv4: '0.0.0.0/0' }), any);
    expect(v4?.material).toEqual({
      openIngress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0' }],
    });
    const v6 = rule.detect(
      baseline('securityGroupIngressRule', { cidrIpv4: undefined, cidrIpv6: '::/0' }),
      any,
    );
    expect(v6?.material).toEqual({
      openIngress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '::/0' }],
    });
  });

  it('vpc rule with ipProtocol -1 and no ports opens everything', () => {
    const f = rule.detect(
      baseline('securityGroupIngressRule', {
        ipProtocol: '-1',
        fromPort: undefined,
        toPort: undefined,
        cidrIpv4: '0.0.0.0/0',
      }),
      ssh,
    );
    expect(f?.material).toEqual({ openIngress: [{ protocol: '-1', cidr: '0.0.0.0/0' }] });
  });

  it('a narrower CIDR, a prefix list or a source group is not open', () => {
    expect(rule.detect(inline({ cidrBlocks: ['0.0.0.0/1'] }), any)).toBeUndefined();
    expect(rule.detect(inline({ cidrBlocks: [], prefixListIds: ['pl-1'] }), any)).toBeUndefined();
    expect(
      rule.detect(
        baseline('securityGroupRule', { cidrBlocks: undefined, sourceSecurityGroupId: 'sg-2' }),
        any,
      ),
    ).toBeUndefined();
  });
});

describe('aws-security-group-open-ingress: configured ports', () => {
  it('only ranges that reach a configured port count', () => {
    expect(rule.detect(inline({ cidrBlocks: ['0.0.0.0/0'] }), ssh)).toBeUndefined();
    expect(
      rule.detect(inline({ cidrBlocks: ['0.0.0.0/0'], fromPort: 20, toPort: 23 }), ssh)?.summary,
    ).toBe('ingress from 0.0.0.0/0 on tcp ports 20-23');
  });

  it('protocol -1 (or "all") reaches every port; icmp reaches none', () => {
    expect(
      rule.detect(
        inline({ cidrBlocks: ['0.0.0.0/0'], protocol: 'all', fromPort: 0, toPort: 0 }),
        ssh,
      ),
    ).toBeDefined();
    expect(
      rule.detect(
        inline({ cidrBlocks: ['0.0.0.0/0'], protocol: 'icmp', fromPort: -1, toPort: -1 }),
        ssh,
      ),
    ).toBeUndefined();
    expect(
      rule.detect(
        inline({ cidrBlocks: ['0.0.0.0/0'], protocol: 'icmp', fromPort: -1, toPort: -1 }),
        any,
      ),
    ).toBeDefined();
  });

  it('protocol numbers are read as names', () => {
    const f = rule.detect(
      inline({ cidrBlocks: ['0.0.0.0/0'], protocol: '6', fromPort: 22, toPort: 22 }),
      ssh,
    );
    expect(f?.material).toEqual({
      openIngress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
    });
  });

  it('property: a tcp range is flagged exactly when it contains a configured port', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }));
    fc.assert(
      fc.property(
        range,
        fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 1, maxLength: 5 }),
        ([a, b], ports) => {
          const [fromPort, toPort] = a <= b ? [a, b] : [b, a];
          const flagged =
            rule.detect(inline({ cidrBlocks: ['0.0.0.0/0'], fromPort, toPort }), { ports }) !==
            undefined;
          expect(flagged).toBe(ports.some((p) => fromPort <= p && p <= toPort));
        },
      ),
    );
  });

  it('property: only a /0 prefix is open, whatever the address', () => {
    const v4 = fc
      .ipV4()
      .chain((ip) =>
        fc.integer({ min: 0, max: 32 }).map((len) => ({ cidr: `${ip}/${len}`, open: len === 0 })),
      );
    const v6 = fc
      .ipV6()
      .chain((ip) =>
        fc.integer({ min: 0, max: 128 }).map((len) => ({ cidr: `${ip}/${len}`, open: len === 0 })),
      );
    fc.assert(
      fc.property(fc.oneof(v4, v6), ({ cidr }) => {
        const open = /\/0$/.test(cidr);
        expect(
          rule.detect(baseline('securityGroupRule', { cidrBlocks: [cidr] }), any) !== undefined,
        ).toBe(open);
      }),
    );
  });
});

describe('aws-security-group-open-ingress: unknown values at preview', () => {
  const preview = (name: Parameters<typeof baseline>[0], change: object) => {
    const r = baseline(name, change);
    return { ...r, props: engineProps(r.props) };
  };

  it('an unknown CIDR cannot be ruled out: unknown finding', () => {
    const f = rule.detect(
      preview('securityGroup', { ingress: [{ ...baseRule, cidrBlocks: [UNKNOWN_SENTINEL] }] }),
      any,
    );
    expect(f?.unknown).toBe(true);
    expect(f?.material).toEqual({
      openIngress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: UNKNOWN_PLACEHOLDER }],
    });
  });

  it('the whole ingress list unknown: unknown finding', () => {
    expect(rule.detect(preview('securityGroup', { ingress: UNKNOWN_SENTINEL }), any)?.unknown).toBe(
      true,
    );
  });

  it('an unknown CIDR on a port outside the configured ones is compliant', () => {
    const r = preview('securityGroupIngressRule', { cidrIpv4: UNKNOWN_SENTINEL });
    expect(rule.detect(r, ssh)).toBeUndefined();
    expect(rule.detect(r, any)?.unknown).toBe(true);
  });

  it('an unknown port on an open CIDR is unknown when ports are configured', () => {
    const f = rule.detect(
      preview('securityGroupRule', { cidrBlocks: ['0.0.0.0/0'], toPort: UNKNOWN_SENTINEL }),
      ssh,
    );
    expect(f?.unknown).toBe(true);
  });

  it('open CIDR with an unknown port and no configured ports: sensitive, but material not known yet', () => {
    const f = rule.detect(
      preview('securityGroupRule', { cidrBlocks: ['0.0.0.0/0'], toPort: UNKNOWN_SENTINEL }),
      any,
    );
    expect(f?.unknown).toBe(true);
    expect(f?.summary).toContain('not known until update');
  });

  it('unknown values that do not decide anything are ignored', () => {
    expect(
      rule.detect(
        preview('securityGroup', { vpcId: UNKNOWN_SENTINEL, description: UNKNOWN_SENTINEL }),
        any,
      ),
    ).toBeUndefined();
    expect(
      rule.detect(preview('securityGroupRule', { securityGroupId: UNKNOWN_SENTINEL }), any),
    ).toBeUndefined();
  });

  it('an unknown rule type with an open CIDR is unknown; with a closed CIDR compliant', () => {
    expect(
      rule.detect(
        preview('securityGroupRule', { type: UNKNOWN_SENTINEL, cidrBlocks: ['0.0.0.0/0'] }),
        any,
      )?.unknown,
    ).toBe(true);
    expect(
      rule.detect(preview('securityGroupRule', { type: UNKNOWN_SENTINEL }), any),
    ).toBeUndefined();
  });

  it('the same state read through the engine gives the same material as plain props', () => {
    const change = { ingress: [{ ...baseRule, cidrBlocks: ['0.0.0.0/0'] }] };
    expect(materialKey(rule.detect(preview('securityGroup', change), any))).toBe(
      materialKey(rule.detect(baseline('securityGroup', change), any)),
    );
  });
});

describe('aws-security-group-open-ingress: material', () => {
  const open = { ...baseRule, cidrBlocks: ['0.0.0.0/0'] };
  const ssh22 = { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['::/0', '0.0.0.0/0'] };

  it('is stable for the same state and independent of rule order', () => {
    const a = rule.detect(baseline('securityGroup', { ingress: [open, ssh22, baseRule] }), any);
    const b = rule.detect(
      baseline('securityGroup', {
        ingress: [baseRule, { ...ssh22, cidrBlocks: ['0.0.0.0/0', '::/0'] }, open],
      }),
      any,
    );
    expect(materialKey(a)).toBeDefined();
    expect(materialKey(a)).toBe(materialKey(b));
  });

  it('changes when the open rules change', () => {
    const a = rule.detect(baseline('securityGroup', { ingress: [open] }), any);
    expect(
      materialKey(
        rule.detect(baseline('securityGroup', { ingress: [{ ...open, toPort: 444 }] }), any),
      ),
    ).not.toBe(materialKey(a));
    expect(
      materialKey(rule.detect(baseline('securityGroup', { ingress: [open, ssh22] }), any)),
    ).not.toBe(materialKey(a));
  });

  it('ignores descriptions, tags, egress and closed rules', () => {
    const a = rule.detect(baseline('securityGroup', { ingress: [open] }), any);
    const b = rule.detect(
      baseline('securityGroup', {
        description: 'other',
        tags: { x: 'y' },
        egress: [],
        ingress: [
          { ...open, description: 'changed' },
          { ...baseRule, cidrBlocks: ['192.168.0.0/16'] },
        ],
      }),
      any,
    );
    expect(materialKey(b)).toBe(materialKey(a));
  });

  it('resources of another type are not inspected', () => {
    expect(rule.detect(resource(awsTypes.bucket, { ingress: [open] }), any)).toBeUndefined();
  });
});
