import { wrapSecretLooking } from '../policies/support/values.js';
import {
  containsUnknown,
  placeholderUnknowns,
  resolveUnknowns,
  type Finding,
  type ResourceInput,
} from '../sensitive-rule.js';

/**
 * The finding of a wrapped policy's violations: the policy's own messages as the summary, and all
 * of the resource's inputs as the material (values under secret-looking keys hashed), so that an
 * approval covers exactly the resource the policy judged.
 */
export function inputsFinding(resource: ResourceInput, messages: readonly string[]): Finding {
  const inputs = resolveUnknowns(resource.props);
  const lines = messages.map((m) => m.trim().replace(/\.$/, '')).filter((m) => m !== '');
  const summary = [...new Set(lines)].join('; ');
  return {
    summary: summary || 'the policy reported a violation',
    material: { inputs: wrapSecretLooking(placeholderUnknowns(inputs)) },
    unknown: containsUnknown(inputs),
  };
}
