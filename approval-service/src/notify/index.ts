/** Webhook notifications of request changes: Slack messages and signed JSON. */
export {
  createNotifier,
  webhookFailureEvent,
  type NotifierDeps,
  type WebhookFailure,
  type WebhookNotifier,
} from './webhook-notifier.js';
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
export { backoffDelay, deliver, type DeliveryResult } from './deliver.js';
