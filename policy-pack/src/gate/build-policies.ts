import type {
  PolicyConfigSchema,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  ReportViolation,
  StackValidationPolicy,
} from '@pulumi/policy';
import { routedFindings, type RoutedFinding } from '../routed-rule.js';
import { appliesTo, withDefaults, type SensitiveRule } from '../sensitive-rule.js';
import { memoOnConfig } from './config-memo.js';
import { onFirstResource } from './first-resource.js';
import type { Gate } from './gate.js';
import { gateFailedMessage, invalidRuleConfigMessage } from './messages.js';
import { reportVerdict } from './report-verdict.js';
import { gateSettingKeys, gateSettingsProperties } from './settings-schema.js';
import { mandatory, type Verdict } from './verdict.js';

/** Name of the pack, as `pulumi preview --policy-pack` shows it. */
export const PACK_NAME = 'clearance';

export const PACK_DESCRIPTION =
  'Sensitive changes need a signed, time-bound approval from the Clearance approval service.';

/** The stack policy that runs at AnalyzeStack, at the end of a successful preview or update. */
export const RUN_RECORD_POLICY = 'clearance-run-record';

function configSchemaOf(rule: SensitiveRule): PolicyConfigSchema {
  const clash = Object.keys(rule.configSchema.properties).filter((k) => gateSettingKeys.has(k));
  if (clash.length > 0) {
    throw new Error(
      `policy ${rule.name}: config keys ${clash.join(', ')} belong to the approval gate`,
    );
  }
  return {
    ...rule.configSchema,
    properties: { ...rule.configSchema.properties, ...gateSettingsProperties },
  };
}

function ruleConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => !gateSettingKeys.has(k)));
}

function isConfigError(err: unknown): err is Error {
  return err instanceof Error && (err as { code?: unknown }).code === 'ERR_CONFIG';
}

/** A sensitive-state rule as a mandatory resource policy whose sensitive findings go through the gate. */
export function resourcePolicy(rule: SensitiveRule, gate: Gate): ResourceValidationPolicy {
  const types: ReadonlySet<string> = new Set(rule.resourceTypes);
  const configOf = memoOnConfig((config) => withDefaults(rule, ruleConfig(config)));
  const prepare = onFirstResource(gate, rule.name);
  const validate = async (args: ResourceValidationArgs, report: ReportViolation): Promise<void> => {
    prepare(() => args.getConfig<Record<string, unknown>>());
    if (!types.has(args.type) && !appliesTo(rule, args.type)) return;
    const config = args.getConfig<Record<string, unknown>>();
    const resource = { type: args.type, urn: args.urn, name: args.name, props: args.props };
    let findings: RoutedFinding[];
    try {
      findings = routedFindings(rule, resource, configOf(config));
    } catch (err) {
      if (!isConfigError(err)) throw err;
      const verdict = mandatory(invalidRuleConfigMessage(rule.name, err.message));
      reportVerdict(report, rule.description, verdict, args.urn);
      return;
    }
    for (const { policy, finding } of findings) {
      let verdict: Verdict;
      try {
        verdict = await gate.check({ policy, resource, finding, config });
      } catch (err) {
        // Fail closed without taking the run down: the change is blocked and the reason shown.
        verdict = mandatory(
          gateFailedMessage(policy, err instanceof Error ? err.message : String(err)),
        );
      }
      const name = policy === rule.name ? undefined : policy;
      reportVerdict(report, rule.description, verdict, args.urn, name);
    }
  };
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: 'mandatory',
    configSchema: configSchemaOf(rule),
    validateResource: validate,
  };
}

/** The stack policy that puts on record, at the end of the run, which approvals it used. */
export function runRecordPolicy(gate: Gate): StackValidationPolicy {
  const description = 'Records at the approval service which approvals this run used.';
  return {
    name: RUN_RECORD_POLICY,
    description,
    enforcementLevel: 'mandatory',
    validateStack: async (_args, report) => {
      for (const verdict of await gate.finishRun()) reportVerdict(report, description, verdict);
    },
  };
}

/** Every policy of the pack: one per rule, then the run record. */
export function buildPolicies(
  rules: readonly SensitiveRule[],
  gate: Gate,
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return [...rules.map((rule) => resourcePolicy(rule, gate)), runRecordPolicy(gate)];
}
