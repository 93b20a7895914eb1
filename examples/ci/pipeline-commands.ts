import { parse } from 'yaml';
import { parseCommandArgs } from '@clearance/approval-service/cli';
import { findEntry, loadCommand } from '@clearance/approval-service/cli';

/** One shell script of a pipeline, with where it comes from. */
export interface PipelineScript {
  /** e.g. `clearance-deploy.yml jobs.deploy.steps[3]` or `.gitlab-ci.yml deploy.script` */
  where: string;
  /** The job (GitHub) or job name (GitLab) it belongs to. */
  job: string;
  text: string;
}

/** A `clearance` command line found in a script: its words after `clearance`. */
export interface ClearanceCall {
  where: string;
  job: string;
  args: string[];
}

type Yaml = Record<string, unknown>;
const isObject = (v: unknown): v is Yaml =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `run:` scripts of a GitHub Actions workflow, job by job. */
export function githubScripts(file: string, text: string): PipelineScript[] {
  const doc = parse(text) as Yaml;
  const jobs = isObject(doc.jobs) ? doc.jobs : {};
  return Object.entries(jobs).flatMap(([job, spec]) => {
    const steps = isObject(spec) && Array.isArray(spec.steps) ? spec.steps : [];
    return steps.flatMap((step: unknown, i: number) =>
      isObject(step) && typeof step.run === 'string'
        ? [{ where: `${file} jobs.${job}.steps[${i}]`, job, text: step.run }]
        : [],
    );
  });
}

/** The `before_script`/`script` lines of every GitLab CI job (keys not starting with a dot). */
export function gitlabScripts(file: string, text: string): PipelineScript[] {
  const doc = parse(text) as Yaml;
  const reserved = new Set(['default', 'variables', 'stages', 'include', 'workflow']);
  const defaults = isObject(doc.default) ? doc.default : {};
  const lines = (value: unknown): string[] =>
    Array.isArray(value)
      ? value.filter((l): l is string => typeof l === 'string')
      : typeof value === 'string'
        ? [value]
        : [];
  return Object.entries(doc).flatMap(([job, spec]) => {
    if (reserved.has(job) || job.startsWith('.') || !isObject(spec)) return [];
    const before = lines(spec.before_script ?? defaults.before_script);
    return [...before, ...lines(spec.script)].map((line, i) => ({
      where: `${file} ${job}.script[${i}]`,
      job,
      text: line,
    }));
  });
}

const stops = new Set(['|', '||', '&&', ';', '>', '>>', ')', '2>&1']);

/** Splits a command line as a shell would for our purpose: quotes removed, stopping at |, ;, && and ). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started || word) words.push(word);
      word = '';
      started = false;
    } else if (ch === ')' || ch === '|' || ch === ';' || ch === '>') {
      break;
    } else {
      word += ch;
    }
  }
  if (started || word) words.push(word);
  const end = words.findIndex((w) => stops.has(w));
  return end === -1 ? words : words.slice(0, end);
}

/** Every `npx clearance ...` call in the scripts, continuation lines joined. */
export function clearanceCalls(scripts: PipelineScript[]): ClearanceCall[] {
  return scripts.flatMap((script) => {
    const text = script.text.replace(/\\\n\s*/g, ' ');
    return [...text.matchAll(/\bnpx clearance\s+([^\n]*)/g)].map((m) => ({
      where: script.where,
      job: script.job,
      args: shellWords(m[1] as string),
    }));
  });
}

/**
 * Checks a call against the command line's own registry and option specs: undefined when the
 * command exists and takes these flags, else what is wrong.
 */
export async function clearanceCallProblem(call: ClearanceCall): Promise<string | undefined> {
  const found = findEntry(call.args);
  if (!found) return `unknown command "${call.args.slice(0, 2).join(' ')}"`;
  const command = await loadCommand(found.entry);
  if (!command) return `command "${found.entry.name}" is not in this build`;
  try {
    parseCommandArgs(command, call.args.slice(found.words));
    return undefined;
  } catch (err) {
    return `clearance ${found.entry.name}: ${(err as Error).message}`;
  }
}
