import type { FirstUseBenchResult, PackGateBenchResult } from './pack-gate-bench.js';
import { formatFirstUseBench } from './pack-gate-bench.js';
import type { ServiceBenchResult } from './service-bench.js';
import {
  CONSOLE_PAGES,
  type ConsolePage,
  PAGE_LOADS,
  type ScaleBenchResult,
} from './store-scale-bench.js';
import { formatSpread, type Spread } from './service-bench.js';
import { barChart, type BarGroup } from './svg-chart.js';

/** The figures of bench/results.json the report reads; any may be missing or skipped. */
export interface ReportInput {
  service?: ServiceBenchResult | { skipped: string } | undefined;
  pack?: PackGateBenchResult | { skipped: string } | undefined;
  firstUse?: FirstUseBenchResult | undefined;
  scale?: ScaleBenchResult | undefined;
}

const has = <T extends object>(value: T | { skipped: string } | undefined): value is T =>
  value !== undefined && !('skipped' in value);

/** Markdown tables of the service, pack and first-use figures. */
export function markdownReport(r: ReportInput): string {
  const out: string[] = [];
  if (has(r.service)) {
    out.push(
      `### Approval service beside a bare Hono handler doing the same I/O (${r.service.scenarios[0]?.pairs ?? 0} interleaved pairs, load average ${r.service.environment.loadAverage.map((n) => n.toFixed(1)).join(' ')})`,
      '',
      '| scenario | conns | service req/s | bare req/s | service ÷ bare: median (min–max) | aim |',
      '| --- | --- | --- | --- | --- | --- |',
      ...r.service.scenarios.map(
        (s) =>
          `| ${s.name} | ${s.connections} | ${s.service.median.toFixed(1)} | ${s.bare.median.toFixed(1)} | ${formatSpread(s.ratio, 2)} | ${s.aim === undefined ? '' : `≥ ${s.aim}`} |`,
      ),
      '',
    );
  }
  if (has(r.pack)) {
    const p = r.pack;
    const ms = (n: number) => n.toFixed(0);
    out.push(
      `### Policy pack against the no-op pack (${p.resources.toLocaleString('en-US')} resources, ${p.approvals} approved, first use included, median of ${p.runs} runs)`,
      '',
      '| figure | pack | no-op pack | ratio | aim |',
      '| --- | --- | --- | --- | --- |',
      `| analyze, then AnalyzeStack (ms) | ${ms(p.analyze.pack)} | ${ms(p.analyze.baseline)} | ${p.analyze.ratio.toFixed(3)} | ≤ ${p.aims.analyzeRatio} |`,
      `| cold start (ms) | ${ms(p.coldStart.pack)} | ${ms(p.coldStart.baseline)} | ${p.coldStart.ratio.toFixed(3)} | ≤ ${p.aims.coldStartRatio} |`,
      ...(p.firstUse
        ? [
            `| first use: every Analyze through the first sensitive one (ms) | ${p.firstUse.pack.toFixed(1)} | ${p.firstUse.baseline.toFixed(1)} | +${p.firstUse.overMs.median.toFixed(1)} ms | < ${p.aims.firstUseOverMs} ms over |`,
          ]
        : []),
      '',
    );
  }
  if (r.firstUse) {
    out.push(
      '### First use by approvals held: every Analyze of the run through the first sensitive one',
      '',
      formatFirstUseBench(r.firstUse),
      '',
    );
  }
  if (r.scale) out.push(...scaleTable(r.scale));
  return out.join('\n');
}

function scaleTable(scale: ScaleBenchResult): string[] {
  const { aims } = scale;
  const cell = (s: Spread | undefined, digits: number) => (s ? formatSpread(s, digits) : '');
  const pages = Object.keys(CONSOLE_PAGES) as ConsolePage[];
  return [
    `### Embedded store at scale (median (min–max) of ${scale.rounds} interleaved starts of \`clearance serve\`)`,
    '',
    `| requests stored | start to /healthz (ms) | RSS (MiB) | request + 2 approvals /s | ÷ empty store | ${pages.map((p) => `console ${p}, p50 (ms)`).join(' | ')} | |`,
    `| --- | --- | --- | --- | --- | ${pages.map(() => '---').join(' | ')} | --- |`,
    ...scale.rows.map(
      (row) =>
        `| ${row.requests.toLocaleString('en-US')} | ${cell(row.startMs, 0)} | ${cell(row.rssMiB, 0)} | ${cell(row.flowsPerSecond, 1)} | ${cell(row.flowsVsEmpty, 2)} | ${pages.map((p) => cell(row.pagesMs?.[p], 1)).join(' | ')} | ${row.failed ? `did not start: ${row.failed.replaceAll('|', '\\|')}` : ''} |`,
    ),
    '',
    `Aim at ${aims.atRequests.toLocaleString('en-US')}: start < ${aims.startMs / 1000} s, RSS < ${aims.rssMiB} MiB, flows ≥ ${aims.flowsVsEmpty}× the empty store's, each console page < ${aims.pageMs} ms at p50 (the median of ${PAGE_LOADS} loads of each, signed in).`,
    '',
  ];
}

/** The scaling runs as bars: checks by items (ratio to bare), first use by approvals held. */
export function scalingChart(r: ReportInput): string {
  const groups: BarGroup[] = [];
  if (has(r.service)) {
    const checks = r.service.scenarios.filter((s) => s.itemsPerSecond !== undefined);
    groups.push({
      title: 'POST /v1/checks ÷ bare, by items',
      unit: 'ratio',
      bars: checks.map((s) => ({ label: s.name.replace(/^.*, /, ''), value: s.ratio.median })),
      aim: checks[0]?.aim ?? 0.8,
    });
  }
  if (r.firstUse) {
    groups.push({
      title: 'first use over no-op, by approvals held (engine start)',
      unit: 'ms',
      bars: r.firstUse.rows
        .filter((row) => row.programLoadMs !== undefined)
        .map((row) => ({
          label: row.held.toLocaleString('en-US'),
          value: row.overMs.median,
        })),
      aim: r.firstUse.aimOverMs,
    });
  }
  return barChart(groups);
}

/** Writes bench/results.md and bench/scaling.svg beside bench/results.json. */
export async function writeReport(results: ReportInput, dir: URL): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(new URL('./results.md', dir), `${markdownReport(results)}\n`);
  await writeFile(new URL('./scaling.svg', dir), scalingChart(results));
}
