import { globsOverlap, matchesGlob } from '@clearance/client';
import {
  UNKNOWN,
  resolveUnknowns,
  triNot,
  triOr,
  type Tri,
  type Unknown,
} from '../../sensitive-rule.js';
import { asList, isRecord, sortedStrings, wrapSecretLooking } from './values.js';

/** One statement of an IAM policy document, resolved (members may be UNKNOWN). */
export type Statement = Readonly<Record<string, unknown>>;

/** A policy document given as a JSON string or an object, once read. */
export type ParsedDocument =
  | { kind: 'statements'; statements: (Statement | Unknown)[] }
  | { kind: 'unknown' }
  | { kind: 'invalid'; reason: string };

/** Reads a resolved policy document; absent means no statements. */
export function parsePolicyDocument(document: unknown): ParsedDocument {
  if (document === UNKNOWN) return { kind: 'unknown' };
  if (document === undefined || document === null || document === '')
    return { kind: 'statements', statements: [] };
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = resolveUnknowns(JSON.parse(document));
    } catch {
      return { kind: 'invalid', reason: 'the policy document is not valid JSON' };
    }
  }
  if (!isRecord(parsed))
    return { kind: 'invalid', reason: 'the policy document is not a JSON object' };
  const statements = asList(parsed.Statement);
  if (statements === UNKNOWN) return { kind: 'unknown' };
  if (!statements.every((s) => s === UNKNOWN || isRecord(s))) {
    return { kind: 'invalid', reason: 'a policy statement is not a JSON object' };
  }
  return { kind: 'statements', statements: statements as (Statement | Unknown)[] };
}

export function isAllow(statement: Statement): Tri {
  const effect = statement.Effect;
  if (effect === UNKNOWN) return UNKNOWN;
  return typeof effect === 'string' && effect.trim().toLowerCase() === 'allow';
}

/** Whether any entry of a resolved list of action patterns satisfies `test`. */
function anyEntry(list: unknown, test: (entry: string) => boolean): Tri {
  const entries = asList(list);
  if (entries === UNKNOWN) return UNKNOWN;
  return triOr(...entries.map((e) => (e === UNKNOWN ? UNKNOWN : typeof e === 'string' && test(e))));
}

/** IAM action names are case-insensitive. */
const ignoreCase = { ignoreCase: true } as const;

/**
 * Whether the statement grants every action `actions` (a pattern such as `*` or `iam:*`) stands
 * for: an Action entry covers it, or no NotAction entry overlaps it.
 */
export function grantsAction(statement: Statement, actions: string): Tri {
  if (statement.Action !== undefined)
    return anyEntry(statement.Action, (e) => matchesGlob(actions, e, ignoreCase));
  if (statement.NotAction !== undefined) {
    return triNot(anyEntry(statement.NotAction, (e) => globsOverlap(e, actions, ignoreCase)));
  }
  return false;
}

const allResources = /^(\*|arn:(\*|aws[a-z-]*)(:\*)*)$/;

/** Whether the statement applies to every resource: Resource `*` (or `arn:*...`), or any NotResource. */
export function coversAllResources(statement: Statement): Tri {
  if (statement.NotResource !== undefined) return true;
  const entries = asList(statement.Resource);
  if (entries === UNKNOWN) return UNKNOWN;
  return triOr(
    ...entries.map((e) =>
      e === UNKNOWN ? UNKNOWN : typeof e === 'string' && allResources.test(e.trim()),
    ),
  );
}

/** One principal a statement names: `{type: '*'}` for `"*"`, else its type (AWS, Service...) and value. */
export interface Principal {
  type: string;
  value: unknown;
}

/** The principals a statement admits; NotPrincipal admits everyone else, so it reads as `*`. */
export function principalsOf(statement: Statement): Principal[] | Unknown {
  if (statement.NotPrincipal !== undefined) return [{ type: '*', value: '*' }];
  const principal = statement.Principal;
  if (principal === UNKNOWN) return UNKNOWN;
  if (typeof principal === 'string')
    return [{ type: principal.trim() === '*' ? '*' : 'AWS', value: principal }];
  if (!isRecord(principal)) return [];
  const out: Principal[] = [];
  for (const [type, values] of Object.entries(principal)) {
    const list = asList(values);
    if (list === UNKNOWN) return UNKNOWN;
    for (const value of list) out.push({ type, value });
  }
  return out;
}

/** Whether a principal is everyone: `"*"` or `{AWS: "*"}`. */
export function isEveryone(principal: Principal): Tri {
  if (principal.type === '*') return true;
  if (principal.value === UNKNOWN) return UNKNOWN;
  return (
    principal.type === 'AWS' &&
    typeof principal.value === 'string' &&
    principal.value.trim() === '*'
  );
}

const listMembers = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;

/** What of a statement enters material: effect, actions, resources, principals, conditions (not Sid). */
export function statementMaterial(statement: Statement): Record<string, unknown> {
  const out: Record<string, unknown> = { Effect: statement.Effect };
  for (const key of listMembers) {
    if (statement[key] !== undefined) out[key] = sortedStrings(statement[key]);
  }
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    if (statement[key] !== undefined) out[key] = principalMaterial(statement[key]);
  }
  if (statement.Condition !== undefined) out.Condition = wrapSecretLooking(statement.Condition);
  return out;
}

function principalMaterial(principal: unknown): unknown {
  if (!isRecord(principal)) return principal;
  return Object.fromEntries(
    Object.entries(principal).map(([type, values]) => [type, sortedStrings(values)]),
  );
}
