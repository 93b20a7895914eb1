/**
 * `npm run fixtures:preview`: captures the `pulumi preview --json` fixtures of
 * approval-service/src/preview-gate/fixtures from the real CLI (stand-in AWS provider), on the
 * aws-prod-database example. Paths of the machine that ran it are replaced by neutral ones.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPulumiProject, exampleDir, packDir } from './pulumi-project.js';
import { realCliDir } from './real-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'approval-service', 'src', 'preview-gate', 'fixtures');
const dbUrn = 'urn:pulumi:prod::aws-prod-database::aws:rds/instance:Instance::orders';
const config = { 'aws:region': 'eu-west-1', 'aws-prod-database:vpcId': 'vpc-0abc' };

function neutral(text: string, projectDir: string): string {
  return text
    .split(projectDir)
    .join('/home/runner/aws-prod-database')
    .split(root.replace(/\/$/, ''))
    .join('/home/runner/clearance');
}

async function main(): Promise<void> {
  if (realCliDir() === undefined) throw new Error('run `npm run pulumi:cli` first');
  const project = await createPulumiProject({
    source: exampleDir('aws-prod-database'),
    stack: 'prod',
    config,
    env: {},
  });
  const save = async (
    name: string,
    args: string[],
    env: Record<string, string> = {},
  ): Promise<void> => {
    const run = await project.pulumi(args, { env });
    if (!run.stdout.startsWith('{')) throw new Error(`${args.join(' ')}:\n${run.output}`);
    await writeFile(join(out, name), neutral(run.stdout, project.dir));
    console.log(`${name}: pulumi ${args.join(' ')} (exit ${run.code})`);
  };
  try {
    const up = await project.pulumi(['up', '--yes', '--stack', 'prod']);
    if (up.code !== 0) throw new Error(`pulumi up failed:\n${up.output}`);
    await save('delete-database.json', ['destroy', '--preview-only', '--json', '--stack', 'prod']);
    await save('replace-database-forced.json', [
      'preview',
      '--json',
      '--stack',
      'prod',
      '--replace',
      dbUrn,
    ]);
    // A replacement the program causes: a new engine cannot be set in place.
    const program = join(project.dir, 'index.ts');
    const source = await readFile(program, 'utf8');
    await writeFile(program, source.replace("engine: 'postgres'", "engine: 'aurora-postgresql'"));
    await save('replace-database.json', ['preview', '--json', '--stack', 'prod']);
    await save('replace-database-steps.json', [
      'preview',
      '--json',
      '--stack',
      'prod',
      '--show-replacement-steps',
    ]);
    await writeFile(program, source);
    await save('update-only.json', [
      'preview',
      '--json',
      '--stack',
      'prod',
      '--config',
      'aws-prod-database:deletionProtection=false',
    ]);
    // A preview the policy pack fails: the service it is pointed at does not answer.
    await save(
      'failed-preview.json',
      [
        'preview',
        '--json',
        '--stack',
        'prod',
        '--policy-pack',
        packDir,
        '--config',
        'aws-prod-database:deletionProtection=false',
      ],
      { CLEARANCE_URL: 'http://127.0.0.1:9', CLEARANCE_TOKEN: 'unused' },
    );
  } finally {
    await project.close();
  }
}

await main();
