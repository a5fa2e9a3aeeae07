/** Route × role cases for the provider area (functions/web/routes/provider.ts). */
import type { Case, CasesFor } from './common.js';

export const cases: CasesFor = (): Case[] => [];
