/** One sensitive property, flattened for a table: `ingress[0].cidrBlocks[0]` → "0.0.0.0/0". */
export interface MaterialRow {
  path: string;
  value: string;
  secret: boolean;
}

/** A material row under the program's own property name, when the pack sent one. */
export interface NamedRow extends MaterialRow {
  /** `ingress[0].cidrBlocks[0]` for the row at `openIngress[0].cidr`; else the row's path. */
  name: string;
}

function isSecretHash(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>).$secretSha256 === 'string'
  );
}

function join(prefix: string, key: string): string {
  if (prefix === '') return key;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`;
}

function walk(
  value: unknown,
  path: string,
  rows: MaterialRow[],
  hashes?: Map<string, string>,
): void {
  if (isSecretHash(value)) {
    rows.push({ path, value: '[secret]', secret: true });
    hashes?.set(path, (value as { $secretSha256: string }).$secretSha256);
  } else if (Array.isArray(value)) {
    if (value.length === 0) rows.push({ path, value: '[] (empty)', secret: false });
    value.forEach((item, i) => walk(item, `${path}[${i}]`, rows, hashes));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) rows.push({ path, value: '{} (empty)', secret: false });
    for (const [key, item] of entries) walk(item, join(path, key), rows, hashes);
  } else {
    rows.push({
      path,
      value: typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)),
      secret: false,
    });
  }
}

/**
 * The sensitive properties of a request as rows of property path and value. A secret (sent
 * as `{$secretSha256}`) shows as "[secret]"; its hash is not shown either.
 */
export function materialRows(material: Record<string, unknown> | undefined): MaterialRow[] {
  const rows: MaterialRow[] = [];
  if (material) walk(material, '', rows);
  return rows;
}

/**
 * The program's name of a row: its own entry in `names`, else the entry of its nearest named
 * parent with the rest of the path kept (`externalPrincipals[0]` → `assumeRolePolicy.Statement[0]`
 * names `externalPrincipals[0].Action[0]` `assumeRolePolicy.Statement[0].Action[0]`).
 */
function nameOf(path: string, names: Readonly<Record<string, string>>): string {
  const own = names[path];
  if (own !== undefined) return own;
  for (let end = path.length - 1; end > 0; end--) {
    if (path[end] !== '.' && path[end] !== '[') continue;
    const parent = names[path.slice(0, end)];
    if (parent !== undefined) return `${parent}${path.slice(end)}`;
  }
  return path;
}

/** The rows of `material`, each named as the program names it where `names` says so. */
export function namedMaterialRows(
  material: Record<string, unknown> | undefined,
  names: Readonly<Record<string, string>> | undefined,
): NamedRow[] {
  return materialRows(material).map((row) => ({
    ...row,
    name: names ? nameOf(row.path, names) : row.path,
  }));
}

/** The hash of each secret of `material` by row path: to tell two secrets apart, never to show. */
export function secretHashes(material: Record<string, unknown> | undefined): Map<string, string> {
  const hashes = new Map<string, string>();
  if (material) walk(material, '', [], hashes);
  return hashes;
}
