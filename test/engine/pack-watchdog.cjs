// Preloaded into every pack process the harness starts: the pack exits once the harness is gone
// (its stdin pipe closes), so that an interrupted test run leaves no process behind. The pipe is
// unreferenced, so it never keeps an otherwise finished pack alive.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.stdin.unref();
