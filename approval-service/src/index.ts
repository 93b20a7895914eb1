/** The approval service: app, server, config and the helpers that prepare its secrets. */
export { createApp, createServices, type AppDeps, type ServiceDeps } from './app.js';
export { startServer, type RunningServer, type StartServerOptions } from './server.js';
export { loadConfig, parseConfig, validateConfig } from './config/load-config.js';
export { ruleSchema } from './config/config-schema.js';
export type {
  ServiceConfig,
  ServiceConfigInput,
  RuleConfig,
  UserConfig,
} from './config/config-schema.js';
export { hashApiToken, hashPassword, verifyPasswordHash, safeEqualHex } from './auth/secrets.js';
export type { Services } from './service/services.js';
export type { Actor } from './domain/model.js';
export type { Eligibility } from './domain/eligibility.js';
export type { Notifier, NotificationEvent, NotificationType } from './service/notifier.js';
export { createMemorySigner, type ApprovalSigner } from './tokens/approval-signer.js';
export { openSigner } from './tokens/open-signer.js';
export type { Store } from './store/store.js';
export { openLowdbStore } from './store/lowdb-store.js';
export { createMemoryStore } from './store/memory-store.js';
export { verifyAuditDir } from './service/verify-audit-dir.js';
export { verifyWebhook } from './notify/webhook-signature.js';
