/**
 * Remembers what was derived from the last config seen, and reuses it while the config holds the
 * same values: `@pulumi/policy` hands every call a fresh copy of an unchanged config.
 */
export function memoOnConfig<T>(
  derive: (config: Record<string, unknown>) => T,
): (config: Record<string, unknown>) => T {
  let last: { entries: [string, unknown][]; value: T } | undefined;
  return (config) => {
    const entries = Object.entries(config);
    if (
      last &&
      last.entries.length === entries.length &&
      entries.every(([k, v], i) => last!.entries[i]?.[0] === k && last!.entries[i]?.[1] === v)
    ) {
      return last.value;
    }
    last = { entries, value: derive(config) };
    return last.value;
  };
}
