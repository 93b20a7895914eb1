/**
 * Which way imports point (`npm run lint` runs it: `depcruise .`). Type-only imports count,
 * since they couple modules just the same.
 */
const service = 'approval-service/src';

/**
 * The layers of the service, lowest first: the single source of truth for its import
 * directions. A module imports from its own folder and from lower layers only: never from a
 * higher layer, nor from another folder of its own layer. A layer lists folders (or files) of
 * `approval-service/src`; every one of them must be listed somewhere.
 */
const layers = [
  // @clearance/client: fingerprint, token claims and verification, window, glob, errors, HTTP client.
  { name: 'client', folders: ['packages/client/src'] },
  // The service's leaves: its config schema and loader; durable file writes; the preview
  // gate, which talks to the service through the client alone, as the pack does.
  { name: 'leaves', folders: [`${service}/config`, `${service}/files`, `${service}/preview-gate`] },
  // Pure rules: requests, reviews, quorum, eligibility, windows, the audit trail's hash chain.
  { name: 'domain', folders: [`${service}/domain`] },
  // Credentials: signing keys and approval tokens; API secrets and failed-credential limits.
  { name: 'credentials', folders: [`${service}/tokens`, `${service}/auth`] },
  // What is kept, and its proof: the store; the audit trail's signed checkpoints.
  { name: 'store/audit', folders: [`${service}/store`, `${service}/audit`] },
  // The use cases: the request lifecycle, run checks, audit access, key rotation.
  { name: 'service', folders: [`${service}/service`] },
  // The edges for machines: the HTTP API; webhook notifications.
  { name: 'http', folders: [`${service}/http`, `${service}/notify`] },
  // The edge for people: the console, which answers errors with the API's status codes.
  { name: 'console', folders: [`${service}/console`] },
  // The Hono app: the API and the console behind one set of middleware.
  { name: 'app', folders: [`${service}/app.ts`] },
  // The running server: config, store, signer and app, started and stopped.
  { name: 'server', folders: [`${service}/server.ts`] },
  // Entry points: the CLI, the package's exports and its test support.
  { name: 'cli', folders: [`${service}/cli`, `${service}/index.ts`, `${service}/testing`] },
];

/** Test code may import from any layer: only other test code imports it. */
const testCode = ['\\.test\\.tsx?$', '\\.case\\.ts$', `^${service}/testing/`];

const escape = (path) => path.replace(/[.]/g, '\\.');
/** A folder as a path pattern: its files, or the file itself. */
const under = (folder) => (folder.endsWith('.ts') ? `^${escape(folder)}$` : `^${escape(folder)}/`);

const layerRules = layers.flatMap((layer, index) => {
  const above = layers.slice(index + 1).flatMap((l) => l.folders);
  return layer.folders.map((folder) => ({
    name: `layer-${layer.name.replace('/', '-')}`,
    comment: `${folder} is in the '${layer.name}' layer: it imports from lower layers only (.dependency-cruiser.js)`,
    severity: 'error',
    from: { path: under(folder), pathNot: testCode },
    to: { path: [...above, ...layer.folders.filter((f) => f !== folder)].map(under) },
  }));
});

const listed = [...layers.flatMap((l) => l.folders.map(under)), ...testCode];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles are refused everywhere, type-only ones too.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'not-in-a-layer',
      comment:
        'A module of the service outside every layer escapes the rules: list its folder in `layers`.',
      severity: 'error',
      from: { path: `^${service}/`, pathNot: listed },
      to: {},
    },
    {
      name: 'into-no-layer',
      comment:
        'A module of the service outside every layer escapes the rules: list its folder in `layers`.',
      severity: 'error',
      from: {},
      to: { path: `^${service}/`, pathNot: listed },
    },
    {
      name: 'client-stands-alone',
      comment: '@clearance/client imports no other part of the repository.',
      severity: 'error',
      from: { path: '^packages/client/' },
      to: { path: '^(approval-service|policy-pack|examples|test|bench|scripts)/' },
    },
    {
      name: 'service-stands-alone',
      comment:
        "The service's code imports the client and its own files, never tests or other packages.",
      severity: 'error',
      from: { path: `^${service}/`, pathNot: testCode },
      to: { path: '^(policy-pack|examples|test|bench|scripts)/' },
    },
    {
      name: 'pack-stands-alone',
      comment:
        "The pack's code imports the client and its own files: the service is never bundled.",
      severity: 'error',
      from: { path: '^policy-pack/src/', pathNot: testCode },
      to: { path: '^(approval-service|examples|test|bench|scripts)/' },
    },
    {
      name: 'temporary-stands-alone',
      comment:
        'examples/lib (@clearance/temporary) imports its own files and its declared packages only.',
      severity: 'error',
      from: { path: '^examples/lib/' },
      to: { path: '^(test|bench|scripts|policy-pack|examples/(?!lib/))' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Dot files and folders are scratch space (.tmp/, editors' and tools' files), not code.
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '(^|/)\\.', '^data/', '^coverage/'] },
    tsPreCompilationDeps: true,
    // Workspace packages resolve to their TypeScript source, as for tsc, vitest and esbuild.
    enhancedResolveOptions: {
      conditionNames: ['source', 'import', 'types', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
