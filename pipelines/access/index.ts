/**
 * The one access module: every rule of who may see and do what (./rules.ts), the access kinds
 * routes declare and the guard enforces (./kinds.ts), and the right to submit as the ingest
 * applies it (./submit.ts). Import from here.
 */
export * from './kinds.js';
export * from './rules.js';
export * from './submit.js';
