import { describe, expect, it } from 'vitest';
import { resource } from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { kubernetesTypes } from '../support/kubernetes-types.js';
import { kubernetesPodHostAccess as rule } from './kubernetes-pod-host-access.js';

const config = rule.defaults;

/** The compliant baseline pod spec: one unprivileged container, an emptyDir volume. */
const podSpec = (change: Record<string, unknown> = {}) => ({
  containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { privileged: false } }],
  volumes: [{ name: 'cache', emptyDir: {} }],
  ...change,
});
const pod = (change?: Record<string, unknown>) =>
  resource(kubernetesTypes.pod, { metadata: { name: 'app' }, spec: podSpec(change) });
const deployment = (change?: Record<string, unknown>) =>
  resource(kubernetesTypes.deployment, {
    spec: { selector: {}, template: { metadata: {}, spec: podSpec(change) } },
  });
const cronJob = (change?: Record<string, unknown>) =>
  resource(kubernetesTypes.cronJob, {
    spec: { schedule: '@hourly', jobTemplate: { spec: { template: { spec: podSpec(change) } } } },
  });

describe.each([
  ['Pod', pod],
  ['Deployment', deployment],
  ['CronJob', cronJob],
] as const)('kubernetes-pod-host-access on a %s', (_, make) => {
  it('the baseline is compliant', () => {
    expect(rule.detect(make(), config)).toBeUndefined();
  });

  it('a privileged container', () => {
    const containers = [{ name: 'app', securityContext: { privileged: true } }];
    expect(rule.detect(make({ containers }), config)).toEqual({
      summary: 'container app is privileged',
      material: { privilegedContainers: ['app'] },
      unknown: false,
    });
  });

  it('hostPID', () => {
    expect(rule.detect(make({ hostPID: true }), config)?.material).toEqual({ hostPID: true });
  });

  it('hostNetwork', () => {
    expect(rule.detect(make({ hostNetwork: true }), config)?.material).toEqual({
      hostNetwork: true,
    });
  });

  it('a hostPath volume', () => {
    const volumes = [{ name: 'root', hostPath: { path: '/' } }];
    expect(rule.detect(make({ volumes }), config)?.material).toEqual({
      hostPathVolumes: [{ name: 'root', path: '/' }],
    });
  });
});

describe('kubernetes-pod-host-access: config and unknowns', () => {
  it('a privileged init container counts too', () => {
    const initContainers = [{ name: 'setup', securityContext: { privileged: true } }];
    expect(rule.detect(pod({ initContainers }), config)?.material).toEqual({
      privilegedContainers: ['setup'],
    });
  });

  it('each check can be switched off', () => {
    const all = pod({ hostPID: true, volumes: [{ name: 'r', hostPath: { path: '/' } }] });
    expect(rule.detect(all, { ...config, checkHostNamespaces: false })?.material).toEqual({
      hostPathVolumes: [{ name: 'r', path: '/' }],
    });
    expect(rule.detect(all, { ...config, checkHostPath: false })?.material).toEqual({
      hostPID: true,
    });
  });

  it('an unknown privileged flag at preview: unknown; a known compliant spec stays compliant', () => {
    const r = pod({
      containers: [{ name: 'app', securityContext: { privileged: UNKNOWN_SENTINEL } }],
    });
    expect(rule.detect({ ...r, props: engineProps(r.props) }, config)?.unknown).toBe(true);
    const known = pod({ hostname: UNKNOWN_SENTINEL });
    expect(rule.detect({ ...known, props: engineProps(known.props) }, config)).toBeUndefined();
  });
});
