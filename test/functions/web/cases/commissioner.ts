/** Route × role cases for the commissioner area (functions/web/routes/commissioner.ts). */
import type { Case, CasesFor } from './common.js';

export const cases: CasesFor = (): Case[] => [];
