/**
 * The return templates and the JSON Schema, all generated from the return's field lists. The
 * templates hold no data, so anyone may download them; the schema sits under /api/, where every
 * route needs a signed-in caller.
 */
import { csvTemplate, xlsxTemplate } from '../../../pipelines/returns/templates.js';
import { returnJsonSchema } from '../../../pipelines/returns/json-schema.js';
import type { ReturnKind } from '../../../pipelines/returns/fields.js';
import { route } from '../auth/guard.js';
import { WebError } from '../errors.js';

function kindOf(value: string | undefined): ReturnKind {
  if (value === undefined || value === 'participant') return 'participant';
  if (value === 'aggregate') return 'aggregate';
  throw new WebError(
    400,
    `There is no "${value}" return: ask for kind=participant or kind=aggregate.`,
  );
}

const attachment = (name: string) => `attachment; filename="${name}"`;

export const templateRoutes = [
  route('GET', '/templates/return.csv', { access: 'anyone' }, (c) => {
    const kind = kindOf(c.req.query('kind'));
    c.header('Content-Disposition', attachment(`outturn-${kind}-return.csv`));
    return c.body(csvTemplate(kind), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  }),

  route('GET', '/templates/return.xlsx', { access: 'anyone' }, (c) => {
    const kind = kindOf(c.req.query('kind'));
    c.header('Content-Disposition', attachment(`outturn-${kind}-return.xlsx`));
    return c.body(new Uint8Array(xlsxTemplate(kind)), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
  }),

  route('GET', '/api/schema/return.json', { access: 'signed-in' }, (c) =>
    c.json(returnJsonSchema()),
  ),
];
