// @ts-check
/**
 * A STAND-IN for the Kubernetes resource provider, for the real-CLI tests only: there is no
 * cluster here. The tests put this small provider on PATH as `pulumi-resource-kubernetes`. It
 * reports the version of `@pulumi/kubernetes`, and answers Check, Diff, Create, Read, Update and
 * Delete for any Kubernetes type by keeping the inputs as the outputs. Nothing here talks to a
 * cluster.
 */
import { createRequire } from 'node:module';
import * as provider from '@pulumi/pulumi/provider/index.js';

const require = createRequire(import.meta.url);
/** @type {{version: string}} */
const kubernetesPackage = require('@pulumi/kubernetes/package.json');

/** @param {unknown} a @param {unknown} b */
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** @param {string} urn */
function nameOf(urn) {
  return urn.split('::')[3] ?? 'resource';
}

/** @param {string} urn @param {Record<string, any>} inputs */
function idOf(urn, inputs) {
  const metadata = inputs.metadata ?? {};
  const name = metadata.name ?? nameOf(urn);
  return metadata.namespace ? `${metadata.namespace}/${name}` : String(name);
}

/** @type {provider.Provider} */
const standIn = {
  version: kubernetesPackage.version,
  async check(_urn, _olds, news) {
    return { inputs: news };
  },
  async diff(_id, _urn, olds, news) {
    const keys = new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})]);
    const changed = [...keys].filter((k) => !same(olds?.[k], news?.[k]));
    // A changed name is a new object in the cluster: the real provider replaces it.
    const renamed = !same(olds?.metadata?.name, news?.metadata?.name);
    return { changes: changed.length > 0, replaces: renamed ? ['metadata'] : [] };
  },
  async create(urn, inputs) {
    return { id: idOf(urn, inputs), outs: inputs };
  },
  async read(id, _urn, props) {
    return { id, props };
  },
  async update(_id, _urn, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};

await provider.main(standIn, process.argv.slice(2));
