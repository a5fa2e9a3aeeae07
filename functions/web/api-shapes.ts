/**
 * The shapes the JSON API answers with, declared once as zod schemas: the handlers' responses are
 * typed by them (`z.infer`) and the OpenAPI document's components are generated from them
 * (./openapi.ts), so the document cannot say one thing while a handler sends another.
 */
import { z } from 'zod';
import { receiptSchema } from '../../pipelines/ingest/receipt.js';
import { contractSchema } from '../../pipelines/reference/schema.js';
import { receiptSummarySchema } from './receipts.js';

/** A contract the caller may see, with where to find its figures and returns. */
export const contractShape = z.object({
  ...contractSchema.shape,
  links: z.object({ performance: z.string(), returns: z.string() }),
});
export type ContractShape = z.infer<typeof contractShape>;

const martRow = z.record(z.string(), z.unknown()).describe('A row of the mart: see docs/marts.md.');

export const contractPerformanceShape = z.object({
  contract_id: z.string(),
  as_of: z.iso
    .date()
    .nullable()
    .describe('The date the marts are as at; null before the first build.'),
  mart: z.enum(['performance', 'suppressed_performance']),
  rows: z.array(martRow),
});
export type ContractPerformance = z.infer<typeof contractPerformanceShape>;

export const uploadResultShape = z.object({
  receipt: receiptSchema,
  duplicate: z.boolean(),
  outcome: z
    .enum(['in_force', 'restored', 'held', 'rejected', 'unchanged', 'sent_before'])
    .describe('What became of the file (ADR 023).'),
  message: z
    .string()
    .nullable()
    .optional()
    .describe(
      'When the file removes many participants: the counts in plain words, and whether it is held.',
    ),
  marts: z
    .union([
      z.object({ rebuilt: z.literal(true), build_id: z.string() }),
      z.object({ rebuilt: z.literal(false), error: z.string() }),
    ])
    .nullable(),
});
export type UploadResult = z.infer<typeof uploadResultShape>;

export const queryResultShape = z.object({
  columns: z.array(
    z.object({
      name: z.string(),
      type: z
        .string()
        .describe(
          'As Athena names it: varchar, integer, bigint, double, boolean, date, decimal, timestamp, …',
        ),
    }),
  ),
  rows: z.array(
    z
      .record(z.string(), z.unknown())
      .describe('One row, keyed by column name: numbers as numbers, dates as YYYY-MM-DD text.'),
  ),
  engine: z.enum(['athena', 'duckdb']),
  scanned_bytes: z.int().nullable().describe('The bytes Athena read; null when run locally.'),
  truncated: z.boolean().describe('More rows matched than max_rows.'),
  query_execution_id: z.string().optional().describe('Athena’s id for the execution.'),
});
export type QueryResultShape = z.infer<typeof queryResultShape>;

/**
 * Every shape by the name the OpenAPI document gives it. A shape inside another (a receipt in an
 * upload result) becomes a reference to its own component.
 */
export const apiShapes = {
  Contract: contractShape,
  ContractPerformance: contractPerformanceShape,
  ReceiptSummary: receiptSummarySchema,
  Receipt: receiptSchema,
  UploadResult: uploadResultShape,
  QueryResult: queryResultShape,
} as const satisfies Record<string, z.ZodType>;
