/** The demo's delivery partners (ADR 042). */
/**
 * The demo contract whose participants are each supported by one of two delivery partners or by
 * the prime itself (ADR 042): Brightpath's Tyne and Wear contract, with North Tyne's CMP team and
 * Step Forward's in-work support. The returns name the partner (returns.ts).
 */
export const DEMO_PARTNERED = {
  contractId: 'plp-tws-bright',
  partners: ['north-tyne-nhs', 'step-forward'],
} as const;

/**
 * Three in ten of the partnered contract's participants with its CMP team, two in ten with its
 * other partner, the rest with the prime: drawn from the id, not the random stream, so every
 * other figure of the demo stays as it was.
 */
export function demoDeliveryPartner(participantId: string): string | null {
  let h = 2166136261;
  for (const ch of `${participantId}:partner`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const tenth = h % 10;
  return tenth < 3 ? DEMO_PARTNERED.partners[0] : tenth < 5 ? DEMO_PARTNERED.partners[1] : null;
}
