/** Reads a model's SQL file, which sits beside its definition. */
import { readFileSync } from 'node:fs';

/**
 * The SQL of `<name>.sql` next to the calling module, with any placeholders the model fills
 * itself (`{{ name }}` → `local[name]`) filled in; the build fills the shared ones.
 */
export function sqlFile(
  moduleUrl: string,
  name: string,
  local: Record<string, string> = {},
): string {
  const sql = readFileSync(new URL(`./${name}.sql`, moduleUrl), 'utf8');
  return sql.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => local[key] ?? whole);
}
