/**
 * The demo's reference data: fictional providers, eight areas, twelve contracts and their
 * profiles. Each contract also gets a plan the simulation needs (the participant id prefix,
 * the referral volume, the area's deprivation and the contract's character) which is not
 * reference data and is never written out.
 *
 * Areas: Tyne and Wear South and Greater Manchester East each have two Pathways providers
 * competing; Calderdale and Kirklees and Severn and Wye Valley have one Pathways provider and
 * one (different) vocational rehabilitation provider; the other four areas have one contract.
 *
 * Asking for more contracts than the twelve named ones (`contracts: 100` for a benchmark)
 * adds generated areas, each with a Pathways and a vocational rehabilitation contract, with
 * characters drawn at random from the seed; asking for fewer keeps the first ones.
 */
import { demoUsers } from './users.js';
import { DEMO_PARTNERED } from './partners.js';
import { addMonths, type Period } from '../calendar/periods.js';
import type { Nation } from '../calendar/working-days.js';
import type { Contract, Provider, ReferenceData } from '../reference/schema.js';
import { drawnBehaviour, namedBehaviour } from './behaviour.js';
import type { ContractPlan } from './plan.js';
import { buildProfiles } from './profiles.js';
import { demoProgrammes, PATHWAYS, VOCATIONAL_REHAB, type ProgrammeId } from './programmes.js';
import { derive } from './random.js';

export const DEMO_START_PERIOD: Period = '2023-04';
export const DEMO_MONTHS = 36;
export const DEMO_CONTRACT_COUNT = 12;

export const demoProviders: Provider[] = [
  { id: 'brightpath', name: 'Brightpath Employment Ltd', sector: 'private' },
  { id: 'kestrel', name: 'Kestrel Works Ltd', sector: 'private' },
  { id: 'meridian', name: 'Meridian Employability plc', sector: 'private' },
  { id: 'step-forward', name: 'Step Forward Trust', sector: 'voluntary' },
  { id: 'harbour-lane', name: 'Harbour Lane Community Works', sector: 'voluntary' },
  { id: 'thistle', name: 'Thistle Pathways Partnership', sector: 'voluntary' },
  { id: 'north-tyne-nhs', name: 'North Tyne Community Health NHS Trust', sector: 'nhs' },
  { id: 'calder-valley-nhs', name: 'Calder Valley Healthcare NHS Foundation Trust', sector: 'nhs' },
  { id: 'severnside-nhs', name: 'Severnside Community Health NHS Trust', sector: 'nhs' },
  { id: 'tweed-esk-nhs', name: 'NHS Tweed and Esk', sector: 'nhs' },
  {
    id: 'kirkmoor-council',
    name: 'Kirkmoor Metropolitan Borough Council Employment Support',
    sector: 'public',
  },
];

/** The provider that sends its returns late most months. */
export const LATE_PROVIDER = 'meridian';

interface Area {
  code: string;
  name: string;
  portfolio: string;
  /** Whose bank holidays the contract's working days skip. */
  nation: Nation;
  /** Mean Index of Multiple Deprivation decile of participants' neighbourhoods. */
  deprivationMean: number;
}

const areas = {
  tws: {
    code: 'JCPD-0412',
    name: 'Tyne and Wear South',
    portfolio: 'north-east-and-scotland',
    nation: 'england-and-wales',
    deprivationMean: 3,
  },
  gme: {
    code: 'JCPD-0237',
    name: 'Greater Manchester East',
    portfolio: 'north-west-and-yorkshire',
    nation: 'england-and-wales',
    deprivationMean: 3.5,
  },
  cak: {
    code: 'JCPD-0318',
    name: 'Calderdale and Kirklees',
    portfolio: 'north-west-and-yorkshire',
    nation: 'england-and-wales',
    deprivationMean: 4.5,
  },
  swv: {
    code: 'JCPD-0521',
    name: 'Severn and Wye Valley',
    portfolio: 'midlands-and-south-west',
    nation: 'england-and-wales',
    deprivationMean: 5.5,
  },
  bsol: {
    code: 'JCPD-0105',
    name: 'Birmingham and Solihull',
    portfolio: 'midlands-and-south-west',
    nation: 'england-and-wales',
    deprivationMean: 3,
  },
  led: {
    code: 'JCPD-0640',
    name: 'Lanarkshire and East Dunbartonshire',
    portfolio: 'north-east-and-scotland',
    nation: 'scotland',
    deprivationMean: 4,
  },
  tae: {
    code: 'HB-S08000091',
    name: 'Tweed and Esk Health Board',
    portfolio: 'north-east-and-scotland',
    nation: 'scotland',
    deprivationMean: 6,
  },
  kmb: {
    code: 'LA-E08000099',
    name: 'Kirkmoor Metropolitan Borough',
    portfolio: 'north-west-and-yorkshire',
    nation: 'england-and-wales',
    deprivationMean: 4.5,
  },
} as const satisfies Record<string, Area>;

const cmp = (provider_id: string) => [{ provider_id, delivers: 'Condition Management Programme' }];

interface NamedContract {
  id: string;
  programme: ProgrammeId;
  provider: string;
  area: keyof typeof areas;
  idPrefix: string;
  /** Referral profile for a full month at scale 1. */
  monthlyReferrals: number;
  subcontractors?: Contract['subcontractors'];
  payment: Contract['payment'];
}

const pathwaysPayment = (fee: number, job: number, sustained: number): Contract['payment'] => ({
  service_fee_per_start: fee,
  job_outcome_payment: job,
  sustained_payment: sustained,
  sustained_weeks: 26,
});
const rehabPayment = (fee: number, job: number, sustained: number): Contract['payment'] => ({
  service_fee_per_start: fee,
  job_outcome_payment: job,
  sustained_payment: sustained,
  sustained_weeks: 13,
});

const namedContracts: NamedContract[] = [
  {
    id: 'plp-tws-bright',
    programme: PATHWAYS,
    provider: 'brightpath',
    area: 'tws',
    idPrefix: 'BPT',
    monthlyReferrals: 42,
    subcontractors: [
      ...cmp('north-tyne-nhs'),
      { provider_id: DEMO_PARTNERED.partners[1], delivers: 'in-work support' },
    ],
    payment: pathwaysPayment(350, 1500, 1900),
  },
  {
    id: 'plp-tws-step',
    programme: PATHWAYS,
    provider: 'step-forward',
    area: 'tws',
    idPrefix: 'SFT',
    monthlyReferrals: 30,
    subcontractors: cmp('north-tyne-nhs'),
    payment: pathwaysPayment(380, 1400, 1800),
  },
  {
    id: 'plp-gme-kestrel',
    programme: PATHWAYS,
    provider: 'kestrel',
    area: 'gme',
    idPrefix: 'KWM',
    monthlyReferrals: 36,
    subcontractors: cmp('calder-valley-nhs'),
    payment: pathwaysPayment(300, 1650, 2100),
  },
  {
    id: 'plp-gme-meridian',
    programme: PATHWAYS,
    provider: 'meridian',
    area: 'gme',
    idPrefix: 'MEM',
    monthlyReferrals: 40,
    subcontractors: cmp('calder-valley-nhs'),
    payment: pathwaysPayment(320, 1600, 2000),
  },
  {
    id: 'plp-cak-bright',
    programme: PATHWAYS,
    provider: 'brightpath',
    area: 'cak',
    idPrefix: 'BPK',
    monthlyReferrals: 34,
    subcontractors: cmp('calder-valley-nhs'),
    payment: pathwaysPayment(350, 1500, 1900),
  },
  {
    id: 'plp-swv-harbour',
    programme: PATHWAYS,
    provider: 'harbour-lane',
    area: 'swv',
    idPrefix: 'HLW',
    monthlyReferrals: 28,
    subcontractors: cmp('severnside-nhs'),
    payment: pathwaysPayment(420, 1300, 1750),
  },
  {
    id: 'plp-bsol-meridian',
    programme: PATHWAYS,
    provider: 'meridian',
    area: 'bsol',
    idPrefix: 'MEB',
    monthlyReferrals: 48,
    subcontractors: cmp('severnside-nhs'),
    payment: pathwaysPayment(320, 1600, 2000),
  },
  {
    id: 'plp-led-thistle',
    programme: PATHWAYS,
    provider: 'thistle',
    area: 'led',
    idPrefix: 'THL',
    monthlyReferrals: 32,
    subcontractors: cmp('tweed-esk-nhs'),
    payment: pathwaysPayment(400, 1450, 1850),
  },
  {
    id: 'vrs-cak-calder',
    programme: VOCATIONAL_REHAB,
    provider: 'calder-valley-nhs',
    area: 'cak',
    idPrefix: 'CVR',
    monthlyReferrals: 16,
    payment: rehabPayment(600, 450, 750),
  },
  {
    id: 'vrs-swv-severn',
    programme: VOCATIONAL_REHAB,
    provider: 'severnside-nhs',
    area: 'swv',
    idPrefix: 'SVR',
    monthlyReferrals: 12,
    payment: rehabPayment(640, 400, 700),
  },
  {
    id: 'vrs-tae-tweed',
    programme: VOCATIONAL_REHAB,
    provider: 'tweed-esk-nhs',
    area: 'tae',
    idPrefix: 'TER',
    monthlyReferrals: 14,
    payment: rehabPayment(580, 450, 800),
  },
  {
    id: 'vrs-kmb-kirkmoor',
    programme: VOCATIONAL_REHAB,
    provider: 'kirkmoor-council',
    area: 'kmb',
    idPrefix: 'KMR',
    monthlyReferrals: 12,
    payment: rehabPayment(550, 500, 750),
  },
];

export interface ReferenceOptions {
  seed: number;
  scale: number;
  contracts: number;
  months: number;
}

export interface DemoReference {
  reference: ReferenceData;
  plans: ContractPlan[];
}

export function demoReference(options: ReferenceOptions): DemoReference {
  const endPeriod = addMonths(DEMO_START_PERIOD, options.months - 1);
  const plans: ContractPlan[] = [];
  for (let i = 0; i < options.contracts; i++) {
    const named = namedContracts[i] ?? generatedContract(i - namedContracts.length);
    const area: Area = typeof named.area === 'string' ? areas[named.area] : named.area;
    plans.push({
      contract: {
        id: named.id,
        programme_id: named.programme,
        provider_id: named.provider,
        subcontractors: named.subcontractors ?? [],
        area: { code: area.code, name: area.name },
        portfolio: area.portfolio,
        start_period: DEMO_START_PERIOD,
        end_period: endPeriod,
        payment: named.payment,
        return_deadline_working_day: 10,
        nation: area.nation,
      },
      programme: named.programme,
      idPrefix: named.idPrefix,
      monthlyReferrals: named.monthlyReferrals,
      deprivationMean: area.deprivationMean,
      behaviour:
        i < namedContracts.length
          ? namedBehaviour(named.programme, named.id)
          : drawnBehaviour(named.programme, derive(options.seed, 'behaviour', named.id)),
    });
  }
  const contracts = plans.map((p) => p.contract);
  return {
    reference: {
      programmes: demoProgrammes,
      providers: demoProviders,
      contracts,
      profiles: plans.flatMap((p) => buildProfiles(p, options.scale)),
      users: demoUsers(demoProgrammes, demoProviders, contracts),
    },
    plans,
  };
}

// ---- generated contracts, only when more than the named twelve are asked for ----

const placeNames = [
  'Wearside',
  'Teesdale',
  'Airedale',
  'Wharfedale',
  'Ribble Valley',
  'Fylde Coast',
  'Mersey Banks',
  'Wirral Peninsula',
  'Peak Fringe',
  'Trent Vale',
  'Soar Valley',
  'Nene Valley',
  'Fenland',
  'Broadland',
  'Stour Valley',
  'Medway Towns',
  'Weald',
  'Solent',
  'Avon Vale',
  'Mendip',
  'Tamar Valley',
  'Cornwall West',
  'Usk Valley',
  'Clwyd Coast',
  'Fife Coast',
  'Tayside East',
  'Clyde Valley',
  'Moray Firth',
  'Ayrshire South',
  'Dumfries and Galloway West',
];
const pathwaysPrimes = [
  'brightpath',
  'kestrel',
  'meridian',
  'step-forward',
  'harbour-lane',
  'thistle',
];
const nhsProviders = ['north-tyne-nhs', 'calder-valley-nhs', 'severnside-nhs', 'tweed-esk-nhs'];
const rehabProviders = [...nhsProviders, 'kirkmoor-council'];
const portfolios = [
  'north-east-and-scotland',
  'north-west-and-yorkshire',
  'midlands-and-south-west',
];

/** `0 → "AA"`, `1 → "AB"`, …: letters only, so an id prefix never adds digits. */
function letters(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++, n = Math.floor(n / 26))
    s = String.fromCharCode(65 + (n % 26)) + s;
  return s;
}

/** Generated contract `k` (0-based): areas hold a Pathways and a rehabilitation contract each. */
function generatedContract(k: number): Omit<NamedContract, 'area'> & { area: Area } {
  const a = Math.floor(k / 2);
  const round = Math.floor(a / placeNames.length);
  const area: Area = {
    code: `JCPD-${String(700 + a).padStart(4, '0')}`,
    name: `${placeNames[a % placeNames.length]}${round ? ` ${round + 1}` : ''}`,
    portfolio: portfolios[a % portfolios.length] ?? 'north-east-and-scotland',
    nation: 'england-and-wales',
    deprivationMean: 2.5 + ((a * 7) % 6),
  };
  const isPathways = k % 2 === 0;
  const provider = isPathways
    ? pathwaysPrimes[a % pathwaysPrimes.length]
    : rehabProviders[a % rehabProviders.length];
  const slugArea = `x${String(a + 1).padStart(3, '0')}`;
  return {
    id: `${isPathways ? PATHWAYS : VOCATIONAL_REHAB}-${slugArea}-${provider}`,
    programme: isPathways ? PATHWAYS : VOCATIONAL_REHAB,
    provider: provider ?? 'brightpath',
    area,
    idPrefix: `X${letters(k, 3)}`,
    monthlyReferrals: isPathways ? 28 + ((a * 5) % 20) : 10 + ((a * 3) % 8),
    subcontractors: isPathways
      ? cmp(nhsProviders[a % nhsProviders.length] ?? 'north-tyne-nhs')
      : [],
    payment: isPathways ? pathwaysPayment(350, 1500, 1900) : rehabPayment(600, 450, 750),
  };
}
