/** Plain-words descriptions of a field's type and allowed values, shared by every generated document. */
import type { Field } from './fields.js';

export function typeLabel(f: Field): string {
  switch (f.type) {
    case 'id':
      return `Reference (up to ${f.maxLength} letters, digits, - and _)`;
    case 'date':
      return 'Date (YYYY-MM-DD, DD/MM/YYYY or DD-Mon-YYYY; a time of 00:00 is ignored)';
    case 'code':
      return 'Code';
    case 'integer':
      return `Whole number, ${f.min} to ${f.max.toLocaleString('en-GB')}`;
    case 'number':
      return `Number, ${f.min} to ${f.max.toLocaleString('en-GB')}`;
  }
}

export function allowedValues(f: Field): string {
  if (f.type !== 'code') return '';
  return f.codes.map((c) => `${c.code} (${c.label})`).join('; ');
}
