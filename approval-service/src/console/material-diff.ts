import { namedMaterialRows, secretHashes, type NamedRow } from './material-rows.js';

export type RowChange = 'same' | 'changed' | 'added' | 'removed';

/** One property on both sides of a comparison; a side without it has no row. */
export interface ComparedRow {
  name: string;
  before?: NamedRow | undefined;
  after?: NamedRow | undefined;
  change: RowChange;
}

/** What a side of the comparison holds: material (or a state) and the names of its rows. */
export interface ComparedSide {
  material?: Record<string, unknown> | undefined;
  propertyNames?: Record<string, string> | undefined;
}

/** Rows of two sides matched by path, in the order of the newer side, then what it dropped. */
function compare(before: ComparedSide, after: ComparedSide): ComparedRow[] {
  const oldRows = namedMaterialRows(before.material, before.propertyNames);
  const newRows = namedMaterialRows(after.material, after.propertyNames);
  const [oldHashes, newHashes] = [secretHashes(before.material), secretHashes(after.material)];
  const key = (row: NamedRow, hashes: Map<string, string>) =>
    row.secret ? `secret ${hashes.get(row.path) ?? ''}` : `value ${row.value}`;
  const old = new Map(oldRows.map((row) => [row.path, row]));
  const rows: ComparedRow[] = newRows.map((row) => {
    const was = old.get(row.path);
    const change: RowChange = !was
      ? 'added'
      : key(was, oldHashes) === key(row, newHashes)
        ? 'same'
        : 'changed';
    return { name: row.name, before: was, after: row, change };
  });
  const kept = new Set(newRows.map((row) => row.path));
  for (const row of oldRows) {
    if (!kept.has(row.path)) rows.push({ name: row.name, before: row, change: 'removed' });
  }
  return rows;
}

/**
 * The material of the last approved request beside the new one's, row by row. Secrets compare
 * by their hash, which is never shown: a changed secret shows as changed.
 */
export function compareMaterial(previous: ComparedSide, current: ComparedSide): ComparedRow[] {
  return compare(previous, current);
}

/** A resource's inputs before and after a delete or replacement, from the preview. */
export function compareStates(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): ComparedRow[] {
  return compare({ material: before }, { material: after });
}
