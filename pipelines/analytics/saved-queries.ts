/**
 * Saved Athena queries over the main marts: a starting point for analysts, and a check that the
 * Glue tables answer the questions the dashboards answer. Athena's engine is Trino, so: double-
 * quoted identifiers, CAST rather than `::`, LOWER(..) LIKE rather than ILIKE, one statement,
 * no trailing semicolon, and a LIMIT so a saved query never scans and returns without bound.
 */

export interface SavedQuery {
  /** Unique within the workgroup; shown in the Athena console. */
  name: string;
  description: string;
  /** The marts (Glue tables) the query reads. */
  tables: readonly string[];
  sql: string;
}

export const savedQueries: readonly SavedQuery[] = [
  {
    name: 'outturn-performance-red-rag',
    description:
      'Contract measures whose cumulative delivery is red against profile, latest month first.',
    tables: ['performance'],
    sql: `SELECT "contract_id", "provider_id", "measure_label", "period", "cumulative_actual", "cumulative_profile",
       ROUND(100 * "cumulative_pct_of_profile", 1) AS "cumulative_pct"
FROM "performance"
WHERE "rag" = 'red'
ORDER BY "period" DESC, "cumulative_pct_of_profile" ASC
LIMIT 200`,
  },
  {
    name: 'outturn-funnel-by-contract',
    description:
      'Referrals to sustained jobs per contract, summed over cohorts, with the job entry rate beside its numerator and denominator.',
    tables: ['funnel'],
    sql: `SELECT "contract_id", "provider_id",
       SUM("referrals") AS "referrals", SUM("starts") AS "starts", SUM("job_entries") AS "job_entries",
       SUM("sustained_jobs") AS "sustained_jobs",
       CAST(SUM("job_entries") AS DOUBLE) / NULLIF(SUM("starts"), 0) AS "job_entry_rate"
FROM "funnel"
GROUP BY "contract_id", "provider_id"
ORDER BY "contract_id"
LIMIT 500`,
  },
  {
    name: 'outturn-returns-late-or-missing',
    description: 'Expected monthly returns that are late or missing, with their deadline.',
    tables: ['returns_status'],
    sql: `SELECT "provider_id", "contract_id", "period", "deadline", "status", "days_late"
FROM "returns_status"
WHERE "on_time" = false OR "received" = false
ORDER BY "deadline" DESC, "provider_id"
LIMIT 500`,
  },
  {
    name: 'outturn-payments-by-month',
    description:
      'Fees due per contract and month under its payment model, with the cost per job entry.',
    tables: ['payments'],
    sql: `SELECT "contract_id", "period", "starts", "job_entries", "sustained_jobs", "total_due", "cumulative_total_due",
       "cost_per_job_entry"
FROM "payments"
ORDER BY "contract_id", "period"
LIMIT 1000`,
  },
  {
    name: 'outturn-data-quality-warnings',
    description: 'Data quality warnings per provider and check, most frequent first.',
    tables: ['data_quality'],
    sql: `SELECT "provider_id", "check_name", COUNT(*) AS "findings"
FROM "data_quality"
WHERE "severity" = 'warning'
GROUP BY "provider_id", "check_name"
ORDER BY "findings" DESC
LIMIT 200`,
  },
  {
    name: 'outturn-provider-timeliness',
    description: 'Reporting and timeliness rates per provider and programme, with their counts.',
    tables: ['provider_timeliness'],
    sql: `SELECT "provider_name", "programme_name", "expected_returns", "received_returns", "on_time_returns",
       "reporting_rate", "timeliness_rate"
FROM "provider_timeliness"
ORDER BY "timeliness_rate" ASC
LIMIT 200`,
  },
];
