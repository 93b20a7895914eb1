/** Temporary Pulumi resources that exist only while their Clearance approval is active. */
export { findActiveApproval, type ApprovalState, type LookupTarget } from './approval-lookup.js';
export { decideTemporary, type TemporaryDecision } from './decide.js';
export { isRequested, settingsFromEnv, type TemporarySettings } from './settings.js';
export { resourceUrn, type UrnParts } from '@clearance/client';
export {
  configureTemporary,
  currentStackName,
  whileApproved,
  type Temporary,
  type TemporaryOptions,
  type TemporarySpec,
} from './while-approved.js';
