/**
 * Demo data: reference data, three years of monthly returns for twelve contracts, and a
 * manifest of when each was sent, realistic enough for the dashboards to tell a story and
 * imperfect in the ways real returns are (see anomalies.ts). Deterministic: the same seed and
 * options give the same bytes.
 *
 * @example
 * await writeDemo('data/demo');                                         // the local demo
 * const csv = generateDemo({ scale: 80 }).returnCsv('plp-bsol-meridian', '2026-03'); // one big return
 */
export {
  generateDemo,
  DEFAULT_SEED,
  type Demo,
  type DemoAnomalies,
  type DemoOptions,
  type ResolvedDemoOptions,
} from './generate.js';
export { writeDemo, type DemoSummary } from './write.js';
export { returnFile, type Submission } from './submissions.js';
export { returnHeader } from './returns.js';
export { looksLikePersonalData } from './ids.js';
export type { Caseload } from './caseload.js';
export type { SimulatedParticipant } from './participants.js';
