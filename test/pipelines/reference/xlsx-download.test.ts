import { describe, expect, it } from 'vitest';
import { checkReferenceUpload } from '../../../pipelines/reference/upload/parse.js';
import { referenceXlsx } from '../../../pipelines/reference/upload/export.js';
import { testReference } from '../../fixtures/reference.js';

const current = testReference();

describe('the reference files in force, as XLSX', () => {
  it.each(['contracts', 'profiles'] as const)(
    '%s download as a workbook that uploads back unchanged',
    (kind) => {
      const bytes = referenceXlsx(kind, current);
      const check = checkReferenceUpload({ kind, bytes, fileName: `${kind}.xlsx`, current });
      expect(check.report.problems).toEqual([]);
      expect(check.status).toBe('accepted');
      expect(check.data?.[kind]).toEqual(current[kind]);
    },
  );
});
