/** What Go's encoding/json escapes in strings besides JSON's own escapes. */
const goEscapes: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Text as `pulumi preview --json` prints a document: Go's `json.MarshalIndent(v, "", "    ")`
 * then a newline (`fmt.Println`). Keys keep the order they have in `value`; Go writes struct
 * fields in declaration order and map keys sorted, so build `value` that way. Test support.
 */
export function printAsPulumi(value: unknown): string {
  const text = JSON.stringify(value, null, 4).replace(
    /[<>&\u2028\u2029]/g,
    (c) => goEscapes[c] ?? c,
  );
  return `${text}\n`;
}
