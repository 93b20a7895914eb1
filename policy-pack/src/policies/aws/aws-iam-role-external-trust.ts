import type * as aws from '@pulumi/aws';
import { z } from 'zod';
import {
  UNKNOWN,
  findingOf,
  resolveProps,
  triAnd,
  type Finding,
  type Hit,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
} from '../../sensitive-rule.js';
import { awsTypes } from '../support/aws-types.js';
import { ruleConfig } from '../support/config-schema.js';
import {
  isAllow,
  isEveryone,
  parsePolicyDocument,
  principalsOf,
  type Principal,
} from '../support/policy-document.js';
import { sortedStrings, stableSet, stableSetBy, wrapSecretLooking } from '../support/values.js';

export interface IamRoleExternalTrustConfig {
  /** Accounts a role may trust without approval: 12-digit ids or ARNs in them (`arn:aws:iam::<id>:...`). */
  trustedAccounts: string[];
}

/** The account a principal or configured entry names: a 12-digit id or an IAM/STS ARN in it. */
export function accountOf(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^\d{12}$/.test(trimmed)) return trimmed;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(trimmed)?.[1];
}

/** Whether an AWS principal lies outside the trusted accounts; one whose account cannot be read does. */
function isExternal(principal: Principal, trusted: ReadonlySet<string>): Tri {
  if (principal.type !== '*' && principal.type !== 'AWS') return false;
  const everyone = isEveryone(principal);
  if (everyone !== false) return everyone;
  const account = typeof principal.value === 'string' ? accountOf(principal.value) : undefined;
  return account === undefined || !trusted.has(account);
}

function describe(principal: Principal): string {
  if (principal.value === UNKNOWN) return 'trust policy admits a principal';
  if (isEveryone(principal) === true) return 'trust policy admits everyone (Principal *)';
  const value = String(principal.value);
  const account = accountOf(value);
  return account && account !== value
    ? `trust policy admits account ${account} (${value})`
    : `trust policy admits ${value}`;
}

function detect(resource: ResourceInput, config: IamRoleExternalTrustConfig): Finding | undefined {
  if (resource.type !== awsTypes.role) return undefined;
  const trusted = new Set(config.trustedAccounts.flatMap((entry) => accountOf(entry) ?? []));
  const { assumeRolePolicy } = resolveProps<aws.iam.RoleArgs>(resource.props);
  const parsed = parsePolicyDocument(assumeRolePolicy);
  const hits: (Hit<TrustItem> & { at?: string })[] = [];
  if (parsed.kind === 'unknown')
    hits.push({ verdict: UNKNOWN, summary: 'trust policy', item: { principal: UNKNOWN } });
  if (parsed.kind === 'invalid') {
    const summary = `${parsed.reason}, so external trust cannot be ruled out`;
    hits.push({
      verdict: true,
      summary,
      item: { invalidDocument: assumeRolePolicy },
      at: 'assumeRolePolicy',
    });
  }
  const statements = parsed.kind === 'statements' ? parsed.statements : [];
  for (const [i, statement] of statements.entries()) {
    const at = `assumeRolePolicy.Statement[${i}]`;
    if (statement === UNKNOWN) {
      hits.push({
        verdict: UNKNOWN,
        summary: 'trust policy statement',
        item: { principal: UNKNOWN },
      });
      continue;
    }
    const allow = isAllow(statement);
    const principals = principalsOf(statement);
    const context = {
      Action: sortedStrings(statement.Action),
      Condition: wrapSecretLooking(statement.Condition),
    };
    if (principals === UNKNOWN) {
      hits.push({
        verdict: triAnd(allow, UNKNOWN),
        summary: 'trust policy principal',
        item: { principal: UNKNOWN },
      });
      continue;
    }
    for (const principal of principals) {
      const verdict = triAnd(allow, isExternal(principal, trusted));
      hits.push({
        verdict,
        summary: describe(principal),
        item: { principal: principal.value, ...context },
        at,
      });
    }
  }
  const located: Hit<LocatedItem>[] = hits.map((hit) => ({
    verdict: hit.verdict,
    summary: hit.summary,
    item: { item: hit.item, at: hit.at },
  }));
  return findingOf(
    located,
    (items) => ({ externalPrincipals: stableSet(items.map((x) => x.item)) }),
    (items) => trustNames(stableSetBy(items, (x) => x.item)),
  );
}

/** One admitted principal (or the document's trouble). */
type TrustItem = Record<string, unknown>;
/** A TrustItem with where the program sets it: the trust policy statement that admits it. */
interface LocatedItem {
  item: TrustItem;
  at: string | undefined;
}

/**
 * The program's names of the material rows: each entry under the trust policy statement it
 * comes from (`assumeRolePolicy.Statement[0]`), its principal as that statement's `Principal`.
 */
function trustNames(items: LocatedItem[]): Record<string, string> {
  const names: Record<string, string> = {};
  items.forEach(({ item, at }, k) => {
    if (at === undefined) return;
    if ('invalidDocument' in item) names[`externalPrincipals[${k}].invalidDocument`] = at;
    else {
      names[`externalPrincipals[${k}]`] = at;
      names[`externalPrincipals[${k}].principal`] = `${at}.Principal`;
    }
  });
  return names;
}

const externalTrustConfig = z.object({
  trustedAccounts: z
    .array(z.string().regex(/^(\d{12}|arn:[^:]+:(iam|sts)::\d{12}:.+)$/))
    .default([])
    .describe('AWS account ids (or ARNs in them) that roles may trust without approval.'),
}) satisfies z.ZodType<IamRoleExternalTrustConfig>;

/** A role that everyone, or an account outside the trusted list, may assume. */
export const awsIamRoleExternalTrust: SensitiveRule<IamRoleExternalTrustConfig> = {
  name: 'aws-iam-role-external-trust',
  description:
    'A role whose trust policy admits Principal * or an AWS account outside the trusted list needs an approval.',
  resourceTypes: [awsTypes.role],
  ...ruleConfig(externalTrustConfig),
  detect,
};
