import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clearanceCallProblem, shellWords } from '../../examples/ci/pipeline-commands.js';

const root = new URL('../../', import.meta.url);

/** The READMEs and docs a user follows: the project's, each example's, and docs/. */
function docFiles(): string[] {
  const examples = readdirSync(new URL('examples/', root), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `examples/${entry.name}/README.md`);
  const docs = readdirSync(new URL('docs/', root))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...examples, ...docs].filter((file) => {
    try {
      readFileSync(new URL(file, root));
      return true;
    } catch {
      return false;
    }
  });
}

interface DocCommand {
  where: string;
  text: string;
}

/** Every `clearance …` command line in a Markdown text: code blocks line by line, and code spans. */
export function docCommands(file: string, markdown: string): DocCommand[] {
  const found: DocCommand[] = [];
  const lines = markdown.split('\n');
  let fenced = false;
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return;
    }
    const pieces = fenced ? [line] : [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    for (const piece of pieces) {
      const match = /(?:^|\s|\$ )(?:npx )?clearance ([a-z].*)$/.exec(piece.trim());
      if (match) found.push({ where, text: match[1] as string });
    }
  });
  return found;
}

const commands = docFiles().flatMap((file) =>
  docCommands(file, readFileSync(new URL(file, root), 'utf8')),
);

describe('the commands the docs show', () => {
  it('finds the commands in code blocks and code spans', () => {
    expect(
      docCommands('x.md', 'Run `npx clearance wait --run 1`.\n```sh\nclearance status\n```\n'),
    ).toEqual([
      { where: 'x.md:1', text: 'wait --run 1' },
      { where: 'x.md:3', text: 'status' },
    ]);
    expect(commands.length).toBeGreaterThan(20);
  });

  it.each(commands.map((c) => [c.where, c.text]))(
    '%s: clearance %s is a command with these options',
    async (_where, text) => {
      const args = shellWords(text);
      const problem = await clearanceCallProblem({ where: _where, job: 'docs', args });
      // Prose may name an option of a command (`clearance gate-preview --type`) without a value.
      const named = args.at(-1);
      if (named?.startsWith('--') && problem?.endsWith(`${named} needs a value`)) return;
      expect(problem).toBeUndefined();
    },
  );
});
