import type { FC } from 'hono/jsx';

export interface FilterField {
  name: string;
  label: string;
  value?: string | undefined;
  /** A select with "All" first; a text input without. */
  options?: string[];
  type?: 'text' | 'datetime-local' | 'number';
  hint?: string;
}

/** A GET form of filters; works without JavaScript and keeps its values in the URL. */
export const FilterForm: FC<{ action: string; fields: FilterField[]; label: string }> = ({
  action,
  fields,
  label,
}) => (
  <form class="filters card" method="get" action={action} aria-label={label}>
    {fields.map((f) => (
      <div class="field">
        <label for={`filter-${f.name}`}>{f.label}</label>
        {f.options ? (
          <select id={`filter-${f.name}`} name={f.name}>
            <option value="">All</option>
            {f.options.map((o) => (
              <option value={o} selected={o === f.value}>
                {o}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={`filter-${f.name}`}
            name={f.name}
            type={f.type ?? 'text'}
            value={f.value ?? ''}
          />
        )}
        {f.hint && <p class="hint">{f.hint}</p>}
      </div>
    ))}
    <div class="actions">
      <button type="submit">Filter</button>
      <a class="button secondary" href={action}>
        Clear
      </a>
    </div>
  </form>
);
