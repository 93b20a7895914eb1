import {
  HarnessUsageError,
  harnessUsage,
  parseHarnessArgs,
  runExample,
} from './example-harness.js';

/** `npm run example:preview -- <example>` / `npm run example:up -- <example>`. */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(harnessUsage);
    return 0;
  }
  try {
    const options = parseHarnessArgs(argv);
    const env = Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    return await runExample({ ...options, env, out: (line) => console.log(line) });
  } catch (err) {
    if (err instanceof HarnessUsageError) {
      console.error(`example-run: ${err.message}`);
      return 1;
    }
    // Anything else is still one line: what failed, never a stack trace.
    const message = err instanceof Error ? err.message : String(err);
    console.error(`example-run: ${message.split('\n')[0]}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
