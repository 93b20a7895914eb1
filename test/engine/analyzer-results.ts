import type * as AnalyzerModule from '@pulumi/pulumi/proto/analyzer_pb.js';
import type {
  AnalyzerInfo,
  Diagnostic,
  EnforcementLevel,
  PolicyConfig,
  PolicyInfo,
} from './types.js';

const levelNames: Record<number, EnforcementLevel> = {
  0: 'advisory',
  1: 'mandatory',
  2: 'disabled',
  3: 'remediate',
};

/** The name of an `EnforcementLevel` enum value. */
export function levelName(level: number): EnforcementLevel {
  const name = levelNames[level];
  if (!name) throw new Error(`unknown enforcement level ${level}`);
  return name;
}

/** Diagnostics of an `AnalyzeResponse`; a diagnostic without its own URN is about `urn`. */
export function readDiagnostics(
  response: AnalyzerModule.AnalyzeResponse,
  urn: string,
): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    urn: d.getUrn() || urn,
    message: d.getMessage(),
    enforcementLevel: levelName(d.getEnforcementlevel()),
    description: d.getDescription(),
  }));
}

/** Plain form of `AnalyzerInfo`. */
export function readAnalyzerInfo(info: AnalyzerModule.AnalyzerInfo): AnalyzerInfo {
  const initialConfig: PolicyConfig = {};
  info.getInitialconfigMap().forEach((config, policyName) => {
    initialConfig[policyName] = {
      enforcementLevel: levelName(config.getEnforcementlevel()),
      ...(config.hasProperties() ? { properties: config.getProperties()!.toJavaScript() } : {}),
    };
  });
  return {
    name: info.getName(),
    version: info.getVersion(),
    supportsConfig: info.getSupportsconfig(),
    policies: info.getPoliciesList().map(readPolicyInfo),
    initialConfig,
  };
}

function readPolicyInfo(policy: AnalyzerModule.PolicyInfo): PolicyInfo {
  const schema = policy.getConfigschema();
  return {
    name: policy.getName(),
    description: policy.getDescription(),
    enforcementLevel: levelName(policy.getEnforcementlevel()),
    ...(schema
      ? {
          configSchema: {
            properties: schema.getProperties()?.toJavaScript() ?? {},
            required: schema.getRequiredList(),
          },
        }
      : {}),
  };
}
