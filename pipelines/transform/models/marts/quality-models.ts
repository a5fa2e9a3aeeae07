/** Marts about returns and their quality: returns status and timeliness, data quality checks, possible double claims. */
import type { Model } from '../../model.js';
import { caseMixStrata } from './case_mix_strata.js';
import { dataQuality } from './data_quality.js';
import { dataQualityScores } from './data_quality_scores.js';
import { fairComparison } from './fair_comparison.js';
import { doubleClaims } from './double_claims.js';
import { intOutliers } from './int_outliers.js';
import { intParticipantIds } from './int_participant_ids.js';
import { intReturnQuality } from './int_return_quality.js';
import { restatementsModel } from './restatements.js';
import { providerTimeliness } from './provider_timeliness.js';
import { returnsStatus } from './returns_status.js';
import { validationProblems } from './validation_problems.js';

export const qualityModels: Model[] = [
  returnsStatus,
  providerTimeliness,
  restatementsModel,
  intParticipantIds,
  doubleClaims,
  intOutliers,
  dataQuality,
  intReturnQuality,
  dataQualityScores,
  caseMixStrata,
  fairComparison,
  validationProblems,
];
