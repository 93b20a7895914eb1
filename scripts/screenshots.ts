/**
 * Takes screenshots of the console's main pages at laptop and phone widths into
 * docs/screenshots/. Starts the demo service on a free loopback port with a temporary data
 * directory, opens requests as the policy pack would (real policies and fingerprints), decides
 * some, then drives Debian's chromium. The policies load the shared client from its build:
 *
 *   npm run build -w approval-service && npx tsx scripts/screenshots.ts
 */
import { fileURLToPath } from 'node:url';
import { takeScreenshots } from '../test/browser/console-screenshots.js';

const outDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const files = await takeScreenshots(outDir);
console.log(`${files.length} screenshots written to ${outDir}`);
