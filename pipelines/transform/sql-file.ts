/** Reads a model's SQL file, which sits beside its definition. */
import { readFileSync } from 'node:fs';

export function sqlFile(moduleUrl: string, name: string): string {
  return readFileSync(new URL(`./${name}.sql`, moduleUrl), 'utf8');
}
