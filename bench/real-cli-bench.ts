/**
 * The pack under the real `pulumi` CLI (stand-in AWS provider): `pulumi preview` of a
 * 500-resource program, 10% sensitive and approved, with the Clearance pack, with no pack and
 * with the no-op pack, run in interleaved rounds; plus the HTTP calls the pack makes per preview,
 * all approved and on a first preview with 1, 50 and 500 unapproved sensitive resources.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createPulumiProject, type PulumiProject } from '../test/real-pulumi/pulumi-project.js';
import { realCliDir } from '../test/real-pulumi/real-cli.js';
import { median } from './pack-bench.js';
import { apiTokens, startTestService, type TestService } from '../test/pack/test-service.js';

const program = fileURLToPath(
  new URL('../test/real-pulumi/fixtures/synthetic-program', import.meta.url),
);
/** The baseline: as many policies as the pack, each doing nothing. */
const noopPack = fileURLToPath(new URL('../test/fixtures/noop-policies-pack', import.meta.url));

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface RealCliBenchResult {
  resources: number;
  sensitive: number;
  rounds: number;
  /** Wall seconds of one `pulumi preview`, per variant. */
  seconds: { noPack: Spread; noopPack: Spread; clearance: Spread };
  /** Per round: the Clearance preview ÷ the other, measured in the same round. */
  ratio: { vsNoPack: Spread; vsNoopPack: Spread };
  /** HTTP requests the pack sent to the service in one preview. */
  httpCalls: { allApproved: number; firstPreview: Record<string, number> };
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

async function timed(run: () => Promise<{ code: number; output: string }>, expectFailure = false) {
  const started = performance.now();
  const result = await run();
  if ((result.code !== 0) !== expectFailure) {
    throw new Error(`unexpected exit ${result.code}:\n${result.output.slice(-2000)}`);
  }
  return (performance.now() - started) / 1000;
}

export async function runRealCliBench(
  options: {
    resources?: number;
    sensitive?: number;
    rounds?: number;
    firstPreview?: number[];
    log?: (l: string) => void;
  } = {},
): Promise<RealCliBenchResult> {
  const count = options.resources ?? 500;
  const sensitive = options.sensitive ?? Math.round(count / 10);
  const rounds = options.rounds ?? 5;
  const firstPreviewSizes = options.firstPreview ?? [1, 50, 500];
  const log = options.log ?? (() => {});
  if (realCliDir() === undefined)
    throw new Error('the real Pulumi CLI is missing: run `npm run pulumi:cli`');
  const svc: TestService = await startTestService({ memoryStore: true });
  let project: PulumiProject | undefined;
  try {
    project = await createPulumiProject({
      source: program,
      stack: 'bench',
      config: { 'aws:region': 'us-east-1' },
      env: { CLEARANCE_URL: svc.url, CLEARANCE_TOKEN: apiTokens.carol },
    });
    const p = project;
    const config = (n: number, s: number, prefix: string) => [
      '--config',
      `synthetic:count=${n}`,
      '--config',
      `synthetic:sensitive=${s}`,
      '--config',
      `synthetic:prefix=${prefix}`,
    ];
    const calls = async (run: () => Promise<unknown>) => {
      const before = svc.seen.length;
      await run();
      return svc.seen.length - before;
    };

    const firstPreview: Record<string, number> = {};
    for (const unapproved of firstPreviewSizes) {
      firstPreview[String(unapproved)] = await calls(() =>
        timed(() => p.preview(config(count, unapproved, `first${unapproved}`)), true),
      );
      log(
        `  first preview, ${unapproved} unapproved: ${firstPreview[String(unapproved)]} HTTP calls`,
      );
    }

    // The measured stack: its sensitive resources opened requests once, now all approved.
    const measured = config(count, sensitive, 'measured');
    await timed(() => p.preview(measured), true);
    for (const request of await svc.services.requests.listRequests({ stack: p.stackName })) {
      if (request.status === 'pending' && request.urn.includes('::measured-')) {
        await svc.approve(request.id);
      }
    }
    const allApproved = await calls(() => timed(() => p.preview(measured)));
    log(`  all approved: ${allApproved} HTTP calls`);

    const variants = {
      noPack: () => p.pulumi(['preview', '--stack', 'bench', ...measured]),
      noopPack: () =>
        p.pulumi(['preview', '--stack', 'bench', '--policy-pack', noopPack, ...measured]),
      clearance: () => p.preview(measured),
    };
    const names = Object.keys(variants) as (keyof typeof variants)[];
    const seconds: Record<keyof typeof variants, number[]> = {
      noPack: [],
      noopPack: [],
      clearance: [],
    };
    for (let round = 0; round < rounds; round++) {
      // Interleaved, and the order rotates each round so no variant always goes first.
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      for (const name of order) seconds[name].push(await timed(variants[name]));
      log(
        `  round ${round + 1}/${rounds}: ` +
          names.map((n) => `${n} ${seconds[n].at(-1)!.toFixed(1)} s`).join(', '),
      );
    }
    const ratios = (other: number[]) => seconds.clearance.map((c, i) => c / other[i]!);
    return {
      resources: count,
      sensitive,
      rounds,
      seconds: {
        noPack: spread(seconds.noPack),
        noopPack: spread(seconds.noopPack),
        clearance: spread(seconds.clearance),
      },
      ratio: {
        vsNoPack: spread(ratios(seconds.noPack)),
        vsNoopPack: spread(ratios(seconds.noopPack)),
      },
      httpCalls: { allApproved, firstPreview },
    };
  } finally {
    await project?.close();
    await svc.close();
  }
}

/** A Markdown table of the result. */
export function formatRealCliBench(r: RealCliBenchResult): string {
  const s = (x: Spread, digits = 2) =>
    `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
  return [
    `pulumi preview, ${r.resources} resources (${r.sensitive} sensitive, approved), ${r.rounds} interleaved rounds; median (min–max)`,
    '',
    '| variant | seconds | Clearance ÷ variant |',
    '| --- | --- | --- |',
    `| no pack | ${s(r.seconds.noPack, 1)} | ${s(r.ratio.vsNoPack)} |`,
    `| no-op pack | ${s(r.seconds.noopPack, 1)} | ${s(r.ratio.vsNoopPack)} |`,
    `| Clearance pack | ${s(r.seconds.clearance, 1)} | 1 |`,
    '',
    `HTTP calls per preview: all approved ${r.httpCalls.allApproved}; first preview ` +
      Object.entries(r.httpCalls.firstPreview)
        .map(([n, c]) => `${n} unapproved: ${c}`)
        .join(', '),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runRealCliBench({ log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${formatRealCliBench(result)}\n`);
}
