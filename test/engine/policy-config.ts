import type { AnalyzerInfo, PolicyConfig } from './types.js';

/**
 * Reconciles the given policy config with the pack's metadata as the engine does before
 * `Configure`: every policy starts from its own enforcement level and its schema defaults, then
 * the pack's initial config and the given config apply in turn (`all` sets every level).
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, given: PolicyConfig): PolicyConfig {
  let result: PolicyConfig = {};
  for (const policy of info.policies) {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (isRecord(schema) && 'default' in schema) defaults[key] = schema.default;
    }
    result[policy.name] = {
      enforcementLevel: policy.enforcementLevel,
      ...(Object.keys(defaults).length > 0 ? { properties: defaults } : {}),
    };
  }
  result = applyConfig(result, info.initialConfig);
  return applyConfig(result, given);
}

function applyConfig(result: PolicyConfig, config: PolicyConfig): PolicyConfig {
  const next: PolicyConfig = structuredClone(result);
  const allLevel = config.all?.enforcementLevel;
  if (allLevel) {
    for (const entry of Object.values(next)) entry.enforcementLevel = allLevel;
  }
  for (const [policyName, entry] of Object.entries(config)) {
    if (policyName === 'all') continue;
    const current = next[policyName] ?? {};
    next[policyName] = {
      ...current,
      ...(entry.enforcementLevel ? { enforcementLevel: entry.enforcementLevel } : {}),
      ...(entry.properties ? { properties: { ...current.properties, ...entry.properties } } : {}),
    };
  }
  return next;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
