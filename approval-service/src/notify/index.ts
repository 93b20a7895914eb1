/** Webhook notifications of request changes: Slack messages and signed JSON. */
export {
  createNotifier,
  webhookFailureEvent,
  type DeliveryUnderWay,
  type NotifierDeps,
  type WebhookFailure,
  type WebhookNotifier,
} from './webhook-notifier.js';
export { drainDeliveries } from './drain-deliveries.js';
export {
  createWebhookFailureAudit,
  type WebhookFailureAudit,
  type WebhookFailureAuditDeps,
} from './webhook-failure-audit.js';
export {
  notificationsSchema,
  notificationTypes,
  parseNotifications,
  resolveWebhooks,
  type NotificationsConfig,
  type RetryPolicy,
  type WebhookTarget,
} from './notify-config.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
  verifyWebhook,
  type VerifyWebhookInput,
  type WebhookVerification,
} from './webhook-signature.js';
export { jsonPayload, publicView, slackPayload } from './webhook-payload.js';
export { ABANDONED, backoffDelay, deliver, type DeliveryResult } from './deliver.js';
