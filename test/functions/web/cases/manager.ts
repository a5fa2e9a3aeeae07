/** Route × role cases for the manager area (functions/web/routes/manager.ts). */
import type { Case, CasesFor } from './common.js';

export const cases: CasesFor = (): Case[] => [];
