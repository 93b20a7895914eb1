/** Test support for the service's users (tests, benchmarks): never part of the build. */
export { appFetch, testApp, testStart, type TestApp, type TestAppOptions } from './test-app.js';
export {
  serveOnLoopback,
  startTestServer,
  type LoopbackServer,
  type TestServer,
  type TestServerOptions,
} from './test-server.js';
export { startTestCiIssuer, type CiTokenOptions, type TestCiIssuer } from './test-ci-issuer.js';
export { recordingIo, type RecordingIo } from '../cli/test-io.case.js';
export { startReceiver } from '../notify/test-support.case.js';
export {
  startStatusStandIn,
  type StandInAnswer,
  type StatusStandIn,
} from '../service/status-stand-in.case.js';
export { gateStack, previewFixture } from '../preview-gate/test-service.case.js';
export { formatAuditLine } from '../domain/audit-line.js';
export { GENESIS_HASH, chainEntries } from '../domain/audit-chain.js';
export { ArchiveIndex, type ArchivedLine } from '../store/archive-index.js';
export {
  ARCHIVE_FILE,
  ARCHIVE_INDEX_FILE,
  AUDIT_FILE,
  DB_FILE,
  JOURNAL_FILE,
  STORE_VERSION,
  type StoreDocument,
} from '../store/store-document.js';
export { runHttpFuzz, type FuzzResult } from '../http/http-fuzz.case.js';
export { postgresAvailable, startPostgresServer, type PostgresServer } from './postgres-server.js';
export { openPostgresStore } from '../store/postgres-store.js';
export { openLowdbStore } from '../store/lowdb-store.js';
export { AuditCheckpointer } from '../audit/checkpointer.js';
export { copyStore } from '../store/copy-store.js';
export {
  CookieAgent,
  signInAtTestIdp,
  startTestIdp,
  type TestIdp,
  type TestIdpClient,
  type TestIdpUser,
} from './test-idp.js';
