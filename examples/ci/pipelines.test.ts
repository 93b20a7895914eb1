import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatVerdicts } from '@clearance/approval-service/preview-gate';
import {
  defaultGatedTypes,
  gatedSteps,
  parsePreviewDigest,
  type GatedStep,
} from '@clearance/approval-service/preview-gate';
import { gateStack, previewFixture } from '@clearance/approval-service/testing';
import { pendingMessage } from '../../policy-pack/src/gate/messages.js';
import { runIdFromEnv } from '@clearance/client';
import { approvalLinks } from './comment/approval-comment.js';
import {
  clearanceCallProblem,
  clearanceCalls,
  githubScripts,
  gitlabScripts,
  shellWords,
  type ClearanceCall,
  type PipelineScript,
} from './pipeline-commands.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const githubFiles = [
  'clearance-preview.yml',
  'clearance-deploy.yml',
  'clearance-expire.yml',
] as const;
const github = Object.fromEntries(
  githubFiles.map((f) => [f, githubScripts(f, read(`./github/${f}`))]),
) as Record<(typeof githubFiles)[number], PipelineScript[]>;
const gitlabText = read('./gitlab/.gitlab-ci.yml');
const gitlab = gitlabScripts('.gitlab-ci.yml', gitlabText);
const allScripts = [...Object.values(github).flat(), ...gitlab];

const text = (scripts: PipelineScript[]) => scripts.map((s) => s.text).join('\n');
const indexOf = (scripts: PipelineScript[], pattern: RegExp) =>
  scripts.findIndex((s) => pattern.test(s.text));

describe('pipeline files', () => {
  it('call only clearance commands that exist, with flags they take', async () => {
    const calls = clearanceCalls(allScripts);
    expect(new Set(calls.map((c) => c.args[0]))).toEqual(
      new Set(['gate-preview', 'wait', 'status']),
    );
    for (const call of calls) {
      expect(
        await clearanceCallProblem(call),
        `${call.where}: clearance ${call.args.join(' ')}`,
      ).toBeUndefined();
    }
  });

  it('would catch a misspelt command or flag', async () => {
    const wrong = clearanceCalls([
      { where: 'x', job: 'x', text: 'npx clearance wait --stack "$STACK" --tokens' },
      { where: 'y', job: 'y', text: 'npx clearance gate --stack s' },
      { where: 'z', job: 'z', text: 'npx clearance status --stack s --print-tokens | tee out' },
    ]);
    expect(await clearanceCallProblem(wrong[0] as ClearanceCall)).toBe(
      'clearance wait: unknown option --tokens',
    );
    expect(await clearanceCallProblem(wrong[1] as ClearanceCall)).toBe(
      'unknown command "gate --stack"',
    );
    expect(await clearanceCallProblem(wrong[2] as ClearanceCall)).toContain(
      'unknown option --print-tokens',
    );
  });

  it('never hide the exit status of a clearance command behind export or local', () => {
    for (const script of allScripts) {
      expect(script.text, script.where).not.toMatch(
        /\b(export|local|readonly|declare)\s+\w+=["']?\$\(npx clearance/,
      );
    }
  });

  it('call clearance through npx only, so the check above sees every call', () => {
    for (const script of allScripts) {
      const bare = script.text.replace(/npx clearance\s/g, '').match(/(^|[\s;&|(`])clearance\s/m);
      expect(bare, script.where).toBeNull();
    }
  });

  it('pick out the approval links that the pack and the gate print', () => {
    const patterns = [...text(allScripts).matchAll(/grep -E\w*o '([^']+)'/g)].map((m) => m[1]);
    expect(patterns).toHaveLength(1);
    const pack = pendingMessage(
      {
        policy: 'aws-security-group-open-ingress',
        name: 'ssh',
        urn: 'urn:pulumi:p::s::t::ssh',
        summary: 'port 22 open',
      },
      {
        id: 'req_-ZDD4Kqe_1',
        url: 'https://clearance.example.com/requests/req_-ZDD4Kqe_1',
        progress: '0 of 2 managers',
      },
      true,
    );
    const step = gatedSteps(
      parsePreviewDigest(previewFixture('delete-database.json')),
      gateStack,
      defaultGatedTypes,
    )[0] as GatedStep;
    const gate = formatVerdicts(
      [
        {
          step,
          status: 'pending',
          requestId: 'req_Xy9',
          url: 'https://clearance.example.com/requests/req_Xy9',
          progress: '0 of 2 dba',
          created: true,
        },
      ],
      gateStack,
    );
    const expected = [
      'https://clearance.example.com/requests/req_-ZDD4Kqe_1',
      'https://clearance.example.com/requests/req_Xy9',
    ];
    for (const pattern of patterns) {
      const found = `${pack}\n${gate}`.match(new RegExp(pattern as string, 'g'));
      expect(found, pattern).toEqual(expected);
    }
    // The pull request comment's script finds the same links.
    expect(approvalLinks(`${pack}\n${gate}`)).toEqual(expected);
  });

  it("wait on their own run's requests only, never on everything pending on the stack", () => {
    const waits = clearanceCalls(allScripts).filter((c) => c.args[0] === 'wait');
    expect(waits.length).toBeGreaterThanOrEqual(4);
    for (const call of waits) {
      expect(call.args, call.where).not.toContain('--stack');
      expect(
        call.args.some((a) => a === '--run' || a === '--since-preview'),
        call.where,
      ).toBe(true);
    }
    // GitLab names the pipeline's run as the pack and gate-preview derive it from CI_PIPELINE_ID.
    const gitlabRuns = clearanceCalls(gitlab)
      .filter((c) => c.args[0] === 'wait')
      .map((c) => c.args[c.args.indexOf('--run') + 1]);
    expect(new Set(gitlabRuns)).toEqual(new Set(['gl-$CI_PIPELINE_ID']));
    expect(runIdFromEnv({ CI_PIPELINE_ID: '314' })).toBe('gl-314');
  });

  it('apply with `pulumi up --plan` the plan saved by the preview that was gated', () => {
    for (const scripts of [github['clearance-deploy.yml'], gitlab]) {
      const all = text(scripts).replace(/\\\n\s*/g, ' ');
      const saved =
        /pulumi preview [^\n]*--json[^\n]*--save-plan "?([^"\s]+)"?[^\n]*> preview\.json/.exec(all);
      expect(saved, 'the gated preview saves its plan').not.toBeNull();
      const ups = [...all.matchAll(/pulumi up [^\n]*/g)].map((m) => m[0]);
      const deploys = ups.filter((up) => up.includes('aws-prod-database') || up.includes('$STACK'));
      const planned = deploys.filter((up) => up.includes(`--plan "${saved?.[1]}"`));
      expect(planned.length, all).toBeGreaterThanOrEqual(1);
    }
  });
});

/** The locks a job holds: GitHub concurrency groups (workflow and job), GitLab resource groups. */
function githubLocks(file: string): Map<string, string[]> {
  type Concurrency = string | { group?: string } | undefined;
  const doc = parse(read(`./github/${file}`)) as {
    concurrency?: Concurrency;
    jobs: Record<string, { concurrency?: Concurrency }>;
  };
  const group = (c: Concurrency) => (typeof c === 'string' ? c : c?.group);
  return new Map(
    Object.entries(doc.jobs).map(([job, spec]) => [
      `${file} ${job}`,
      [group(doc.concurrency), group(spec.concurrency)].filter((g): g is string => !!g),
    ]),
  );
}

/** Whether a job waits for approvals: a `clearance wait` that may last more than 5 minutes. */
function waitsForApprovals(scripts: PipelineScript[]): boolean {
  const seconds = { s: 1, m: 60, h: 3600 } as const;
  return clearanceCalls(scripts).some((c) => {
    if (c.args[0] !== 'wait') return false;
    const at = c.args.indexOf('--timeout');
    // Without --timeout, `clearance wait` gives up after 30 minutes.
    const timeout = at === -1 ? '30m' : (c.args[at + 1] ?? '');
    const parts = /^(\d+)([smh])$/.exec(timeout);
    if (!parts) return true;
    return Number(parts[1]) * seconds[parts[2] as keyof typeof seconds] > 300;
  });
}

describe('the expiry never waits behind a pending approval', () => {
  it('GitHub: no job that waits for approvals holds a lock, and the expiry has a lock of its own', () => {
    const locks = new Map(githubFiles.flatMap((f) => [...githubLocks(f)]));
    const byJob = (f: (typeof githubFiles)[number], job: string) =>
      github[f].filter((s) => s.job === job);
    expect(waitsForApprovals(byJob('clearance-deploy.yml', 'approve'))).toBe(true);
    for (const file of githubFiles) {
      for (const [where, held] of githubLocks(file)) {
        const job = where.split(' ')[1] as string;
        if (waitsForApprovals(byJob(file, job))) expect(held, where).toEqual([]);
      }
    }
    const expiry = locks.get('clearance-expire.yml remove-expired') ?? [];
    expect(expiry).toEqual(['clearance-expire']);
    for (const [where, held] of locks) {
      if (!where.startsWith('clearance-expire.yml'))
        for (const lock of held) expect(expiry, where).not.toContain(lock);
    }
  });

  it('GitLab: the job that waits holds no resource group, and the expiry shares none', () => {
    const doc = parse(gitlabText) as Record<string, { resource_group?: string }>;
    const job = (name: string) => gitlab.filter((s) => s.job === name);
    const jobs = [...new Set(gitlab.map((s) => s.job))];
    expect(waitsForApprovals(job('approve'))).toBe(true);
    for (const name of jobs) {
      if (waitsForApprovals(job(name))) expect(doc[name]?.resource_group, name).toBeUndefined();
    }
    const expiry = doc.expire?.resource_group;
    expect(expiry).toBe('temporary-expiry');
    for (const name of jobs.filter((n) => n !== 'expire'))
      expect(doc[name]?.resource_group, name).not.toBe(expiry);
  });

  it('would catch the expiry sharing the deployment lock', () => {
    const shared = githubLocks('clearance-deploy.yml');
    expect([...shared.values()].flat()).toContain('clearance-deploy');
    expect(waitsForApprovals([{ where: 'x', job: 'x', text: 'npx clearance wait --run r' }])).toBe(
      true,
    );
    expect(
      waitsForApprovals([
        { where: 'x', job: 'x', text: 'npx clearance wait --run r --timeout 1m' },
      ]),
    ).toBe(false);
    expect(
      waitsForApprovals([
        { where: 'x', job: 'x', text: 'npx clearance wait --run r --timeout 2h' },
      ]),
    ).toBe(true);
  });

  it('point the policy pack at the repository', () => {
    const packs = [...text(allScripts).matchAll(/--policy-pack "?([^"\s]+)"?/g)].map((m) => m[1]);
    expect(packs.length).toBeGreaterThanOrEqual(6);
    for (const pack of packs)
      expect(pack).toMatch(/^\$(GITHUB_WORKSPACE|CI_PROJECT_DIR)\/policy-pack$/);
  });
});

describe('GitHub Actions', () => {
  const on = (file: string) =>
    (parse(read(`./github/${file}`)) as { on: Record<string, unknown> }).on;

  it('previews pull requests with the pack, gates deletes, and comments the links', () => {
    expect(on('clearance-preview.yml')).toHaveProperty('pull_request');
    const scripts = github['clearance-preview.yml'];
    expect(text(scripts)).toMatch(
      /pulumi preview [^\n]*--stack "\$STACK"[^\n]*\\\n\s*--policy-pack/,
    );
    expect(text(scripts)).toMatch(
      /pulumi preview [^\n]*--json[^\n]*> preview\.json\n\s*npx clearance gate-preview preview\.json/,
    );
    expect(text(scripts)).toContain(
      'npx tsx examples/ci/comment/post-comment.ts github pack.txt gate.txt',
    );
  });

  it('on main, waits for the decisions and deploys with the tokens handed in', () => {
    expect(on('clearance-deploy.yml')).toMatchObject({ push: { branches: ['main'] } });
    const approve = github['clearance-deploy.yml'].filter((s) => s.job === 'approve');
    const deploy = github['clearance-deploy.yml'].filter((s) => s.job === 'deploy');
    expect(indexOf(approve, /npx clearance wait --since-preview pack\.txt/)).toBeGreaterThan(
      indexOf(approve, /tee pack\.txt/),
    );
    const wait = indexOf(deploy, /npx clearance wait --since-preview [^\n]*--print-tokens/);
    const handIn = indexOf(deploy, /CLEARANCE_APPROVAL_TOKENS=\$tokens" >> "\$GITHUB_ENV"/);
    const up = indexOf(deploy, /pulumi up /);
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(handIn).toBe(wait);
    expect(up).toBeGreaterThan(wait);
    const doc = parse(read('./github/clearance-deploy.yml')) as {
      jobs: { deploy: { needs: string } };
    };
    expect(doc.jobs.deploy.needs).toBe('approve');
  });

  it('on a schedule, updates the temporary stack without asking for anything', () => {
    expect(on('clearance-expire.yml')).toMatchObject({ schedule: [{ cron: '*/15 * * * *' }] });
    const scripts = github['clearance-expire.yml'];
    expect(text(scripts)).toContain('pulumi up');
    expect(JSON.stringify(parse(read('./github/clearance-expire.yml')))).not.toContain(
      'CLEARANCE_REQUEST',
    );
  });
});

describe('GitLab CI', () => {
  const doc = parse(gitlabText) as Record<string, { rules?: { if: string }[] }>;
  const job = (name: string) => gitlab.filter((s) => s.job === name);

  it('previews merge requests with the pack and gates deletes', () => {
    expect(doc.preview?.rules?.[0]?.if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"');
    expect(text(job('preview'))).toMatch(/pulumi preview [^\n]*--policy-pack/);
    expect(clearanceCalls(job('preview')).map((c) => c.args[0])).toEqual(['gate-preview']);
  });

  it('puts the links in the job log, and in a merge request note when given a token', () => {
    const preview = text(job('preview'));
    expect(preview).toContain(`sed 's/^/  /' links.txt`);
    expect(preview).toMatch(
      /if \[ -n "\$CLEARANCE_MR_NOTE_TOKEN" \]; then\n\s*npx tsx examples\/ci\/comment\/post-comment\.ts gitlab pack\.txt gate\.txt/,
    );
  });

  it('on the default branch, waits and deploys with the tokens handed in', () => {
    expect(doc.deploy?.rules?.[0]?.if).toContain('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    const scripts = job('deploy');
    const wait = indexOf(
      scripts,
      /^CLEARANCE_APPROVAL_TOKENS="\$\(npx clearance wait [^\n]*--print-tokens\)"$/,
    );
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(scripts[wait + 1]?.text).toBe('export CLEARANCE_APPROVAL_TOKENS');
    expect(indexOf(scripts, /^pulumi up /)).toBeGreaterThan(wait);
  });

  it('on a schedule or the expiry trigger, removes expired temporary changes', () => {
    expect(doc.expire?.rules?.[0]?.if).toBe(
      '$CI_PIPELINE_SOURCE == "schedule" || $CI_PIPELINE_SOURCE == "trigger"',
    );
    expect(text(job('expire'))).toMatch(/^pulumi up /m);
    expect(text(job('expire'))).not.toContain('CLEARANCE_REQUEST');
  });
});

describe('shellWords', () => {
  it('removes quotes and stops where the command ends', () => {
    expect(shellWords('wait --stack "$STACK" --timeout 2h --print-tokens)"')).toEqual([
      'wait',
      '--stack',
      '$STACK',
      '--timeout',
      '2h',
      '--print-tokens',
    ]);
    expect(shellWords(`gate-preview p.json --reason "a b" | tee gate.txt`)).toEqual([
      'gate-preview',
      'p.json',
      '--reason',
      'a b',
    ]);
    expect(shellWords(`status --stack '' || true`)).toEqual(['status', '--stack', '']);
  });
});
