/** Enforcement levels as the engine names them. */
export type EnforcementLevel = 'advisory' | 'mandatory' | 'disabled' | 'remediate';

/** The stack a pack runs for, as the engine passes it. */
export interface StackRef {
  org: string;
  project: string;
  stack: string;
}

/** Config of one policy: what `--policy-pack-config` gives for it. */
export interface PolicyConfigEntry {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/** Policy config keyed by policy name (`all` sets the level of every policy). */
export type PolicyConfig = Record<string, PolicyConfigEntry>;

/** Resource options as `AnalyzerResourceOptions` carries them. */
export interface ResourceOptions {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  aliases?: string[];
  additionalSecretOutputs?: string[];
  parent?: string;
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

/** The provider a resource uses, as `AnalyzerProviderResource` carries it. */
export interface ProviderResource {
  type: string;
  name: string;
  urn: string;
  properties?: Record<string, unknown>;
}

/**
 * A resource as the program registers it. `properties` are its inputs (sent to `Analyze`);
 * `outputs` default to the inputs (sent to `AnalyzeStack`). The URN is built from the stack,
 * type, name and `parentType` unless given.
 */
export interface EngineResource {
  type: string;
  name: string;
  properties?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  urn?: string;
  parentType?: string;
  options?: ResourceOptions;
  provider?: ProviderResource;
  parent?: string;
  dependencies?: string[];
}

/** One diagnostic returned by `Analyze` or `AnalyzeStack`. */
export interface Diagnostic {
  policyName: string;
  urn: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  description: string;
}

/** A policy as `GetAnalyzerInfo` describes it. */
export interface PolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

/** What `GetAnalyzerInfo` returns. */
export interface AnalyzerInfo {
  name: string;
  version: string;
  supportsConfig: boolean;
  policies: PolicyInfo[];
  initialConfig: PolicyConfig;
}
