/**
 * The OpenAPI 3.1 document of Outturn's JSON API, made from the registered routes.
 *
 * What can be read off a route is: its path parameters, who may call it (the security and the
 * 401/403/404 answers), and where it finds its contract (a query or form field). What cannot —
 * summaries, bodies, the shapes of answers — is written here per route, under `apiDocs`. A route
 * under /api/ with no entry in `apiDocs` is left out of the document, and the test that compares
 * the document with the app's routes fails: a new endpoint cannot ship undocumented.
 */
import { z } from 'zod';
import { returnJsonSchema } from '../../pipelines/returns/json-schema.js';
import type { Route } from './auth/guard.js';
import { SESSION_COOKIE } from './auth/session.js';
import { apiShapes } from './api-shapes.js';

type Schema = Record<string, unknown>;

interface ParameterDoc {
  name: string;
  in: 'query' | 'path';
  required?: boolean;
  description: string;
  schema?: Schema;
}

interface OperationDoc {
  summary: string;
  description?: string;
  parameters?: ParameterDoc[];
  /** Path parameters' descriptions; their names and types come from the route. */
  pathParams?: Record<string, string>;
  requestBody?: Schema;
  /** Status → description and schema of the body. */
  responses: Record<string, { description: string; schema?: Schema; headers?: Schema }>;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const period: Schema = {
  type: 'string',
  pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  examples: ['2025-04'],
};
/** What POST /api/returns/upload-url takes, as JSON or as a form. */
const uploadUrlFields: Schema = {
  type: 'object',
  required: ['contract', 'period', 'file_name'],
  properties: {
    contract: { type: 'string', description: 'The contract id.' },
    period: { ...period, description: 'The month the return is for.' },
    file_name: {
      type: 'string',
      description: 'The file’s name, such as april.csv: its extension tells CSV from XLSX.',
    },
  },
};

const versionPathParams = {
  contract: 'The contract id.',
  period: 'The month of the return, YYYY-MM.',
  id: 'The receipt id of the version.',
};
const versionResponses: OperationDoc['responses'] = {
  '200': {
    description: 'The action recorded, in plain words, and the version now in force.',
    schema: {
      type: 'object',
      required: ['action', 'message', 'version_in_force', 'marts'],
      properties: {
        action: { type: 'object', description: 'The action record.' },
        message: {
          type: 'string',
          examples: ['Version 2 withdrawn; version 1 is in force again.'],
        },
        version_in_force: { type: ['integer', 'null'] },
        marts: {
          type: ['object', 'null'],
          description:
            'Whether the marts were rebuilt (or a rebuild asked for); null when the version in force did not change.',
        },
      },
    },
  },
  '404': { description: 'No such contract or accepted version.', schema: ref('Error') },
  '409': {
    description: 'The version is not in a state the action applies to.',
    schema: ref('Error'),
  },
};

/** Hand-written parts of each /api/ operation, by `METHOD path` as registered. */
export const apiDocs: Record<string, OperationDoc> = {
  'POST /api/returns/{contract}/{period}/{id}/confirm': {
    summary: 'Put a held version in force',
    description:
      'A version that would remove many participants is held at upload until the provider confirms it. Optional body: JSON {"reason": "…"} (or a form field `reason`), up to 500 characters, kept in the action record. The step leaves an action record (versions/…) and an audit entry; nothing is deleted (ADR 023). The contract’s provider or an admin.',
    pathParams: versionPathParams,
    responses: versionResponses,
  },
  'POST /api/returns/{contract}/{period}/{id}/discard': {
    summary: 'Discard a held version',
    description:
      'The version stays stored but is never put in force. Optional body: JSON {"reason": "…"} (or a form field `reason`), up to 500 characters, kept in the action record. The step leaves an action record (versions/…) and an audit entry; nothing is deleted (ADR 023). The contract’s provider or an admin.',
    pathParams: versionPathParams,
    responses: versionResponses,
  },
  'POST /api/returns/{contract}/{period}/{id}/withdraw': {
    summary: 'Withdraw the version in force',
    description:
      'The version before it is put back in force (or none, for the only version). Optional body: JSON {"reason": "…"} (or a form field `reason`), up to 500 characters, kept in the action record. The step leaves an action record (versions/…) and an audit entry; nothing is deleted (ADR 023). The contract’s provider, its contract manager or an admin.',
    pathParams: versionPathParams,
    responses: versionResponses,
  },

  'GET /api/contracts': {
    summary: 'List the contracts you may see',
    description:
      'Providers see their own organisation’s contracts, contract managers their portfolio, commissioners their programmes, admins all.',
    responses: {
      '200': {
        description: 'The contracts, each with links to its performance and returns.',
        schema: {
          type: 'object',
          required: ['contracts'],
          properties: { contracts: { type: 'array', items: ref('Contract') } },
        },
      },
    },
  },
  'GET /api/contracts/{id}/performance': {
    summary: 'A contract’s performance against profile, month by month',
    description:
      'Commissioners get the suppressed copy (suppressed_performance): no count of 1 to 4 is shown or can be worked out: hidden counts are null, shown as "[c]" (ADR 021).',
    pathParams: { id: 'The contract id, for example plp-test.' },
    responses: {
      '200': {
        description: 'The rows of the performance mart for the contract.',
        schema: ref('ContractPerformance'),
      },
    },
  },
  'GET /api/returns': {
    summary: 'List return receipts',
    description: 'Without `contract`, the receipts of every contract you may see.',
    parameters: [
      {
        name: 'contract',
        in: 'query',
        required: false,
        description: 'Only this contract’s receipts.',
        schema: { type: 'string' },
      },
    ],
    responses: {
      '200': {
        description: 'Receipt summaries, newest first.',
        schema: {
          type: 'object',
          required: ['receipts'],
          properties: { receipts: { type: 'array', items: ref('ReceiptSummary') } },
        },
      },
    },
  },
  'GET /api/returns/{contract}/{period}/{id}': {
    summary: 'Read one receipt, with its validation report',
    description:
      'Commissioners get the report without its problem list, whose values are cells of the return.',
    pathParams: {
      contract: 'The contract id.',
      period: 'The month of the return, YYYY-MM.',
      id: 'The receipt id, as in the Location of the upload.',
    },
    responses: {
      '200': {
        description: 'The receipt.',
        schema: { type: 'object', required: ['receipt'], properties: { receipt: ref('Receipt') } },
      },
    },
  },
  'POST /api/returns': {
    summary: 'Upload a monthly return',
    description:
      'A multipart form with the file (CSV or XLSX in the template’s columns), the contract and the month. An accepted return is followed by a rebuild of the contract’s marts.',
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file', 'contract', 'period'],
            properties: {
              file: {
                type: 'string',
                contentMediaType: 'application/octet-stream',
                description: 'The return: CSV or XLSX whose rows match MonthlyReturn.',
              },
              contract: { type: 'string', description: 'The contract id.' },
              period: { ...period, description: 'The month the return is for.' },
              confirm_removal: {
                type: 'string',
                enum: ['yes', 'true'],
                description:
                  'Put the file in force even if it removes many participants (0 rows, fewer than half, or under 20% of them kept); without it such a file is held for confirmation (ADR 023). Not taken by queued uploads in AWS.',
              },
            },
          },
        },
      },
    },
    responses: {
      '200': {
        description:
          'The same file was already received: its receipt (outcome "unchanged" when it is the version in force).',
        schema: ref('UploadResult'),
        headers: { Location: { description: 'The receipt.', schema: { type: 'string' } } },
      },
      '201': {
        description:
          'Accepted: the receipt, and whether the marts were rebuilt. Outcome "in_force", "restored" (an earlier version’s bytes sent again: a new version) or "held" (it would remove many participants: not in force until confirmed with POST …/confirm; message says how many).',
        schema: ref('UploadResult'),
        headers: { Location: { description: 'The receipt.', schema: { type: 'string' } } },
      },
      '202': {
        description:
          'Taken, to be checked shortly (when Outturn runs on AWS): ask the Location for the outcome.',
        schema: {
          type: 'object',
          required: ['upload_id', 'status', 'location'],
          properties: {
            upload_id: { type: 'string' },
            status: { const: 'checking' },
            location: { type: 'string' },
          },
        },
        headers: {
          Location: {
            description: 'The upload’s status: GET /api/uploads/{contract}/{upload}.',
            schema: { type: 'string' },
          },
        },
      },
      '400': {
        description: 'No file, no period, or a period that is not a month.',
        schema: ref('Error'),
      },
      '422': {
        description: 'Rejected: the receipt’s report says what to fix.',
        schema: ref('UploadResult'),
      },
    },
  },
  'POST /api/returns/upload-url': {
    summary: 'Get a URL to upload a return to directly',
    description:
      'When Outturn runs on AWS: a presigned URL that takes one PUT of the file’s bytes for 15 minutes. The file is then checked like any upload; follow its status at the Location. Send the fields as JSON or as a form (application/x-www-form-urlencoded or multipart/form-data).',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: uploadUrlFields },
        'application/x-www-form-urlencoded': { schema: uploadUrlFields },
      },
    },
    responses: {
      '201': {
        description: 'The URL to PUT the file to, and where to follow the upload.',
        schema: {
          type: 'object',
          required: ['upload_id', 'url', 'method', 'expires_at', 'status'],
          properties: {
            upload_id: { type: 'string' },
            url: { type: 'string' },
            method: { const: 'PUT' },
            expires_at: { type: 'string', format: 'date-time' },
            status: { type: 'string' },
          },
        },
        headers: { Location: { description: 'The upload’s status.', schema: { type: 'string' } } },
      },
      '400': {
        description: 'No period or file name, or a period that is not a month.',
        schema: ref('Error'),
      },
      '404': {
        description:
          'No such contract, or upload URLs are not offered (Outturn is not running on AWS).',
        schema: ref('Error'),
      },
    },
  },
  'GET /api/uploads/{contract}/{upload}': {
    summary: 'Follow a queued upload',
    description:
      'While the file is checked, status is "checking" (ask again after Retry-After seconds); then accepted, rejected, duplicate (the receipt is the earlier one) or refused (message says why).',
    pathParams: {
      contract: 'The contract id.',
      upload: 'The upload id, as in the Location of the upload.',
    },
    responses: {
      '200': {
        description: 'The upload’s status, and its receipt once checked.',
        schema: {
          type: 'object',
          required: ['upload_id', 'contract_id', 'status', 'receipt', 'message'],
          properties: {
            upload_id: { type: 'string' },
            contract_id: { type: 'string' },
            period: { type: ['string', 'null'] },
            status: {
              type: 'string',
              enum: ['checking', 'accepted', 'rejected', 'duplicate', 'refused'],
            },
            receipt: { type: ['string', 'null'], description: 'The receipt’s URL.' },
            message: { type: ['string', 'null'] },
          },
        },
      },
    },
  },
  'GET /api/schema/return.json': {
    summary: 'The JSON Schema of a monthly return',
    responses: {
      '200': {
        description:
          'A JSON Schema (draft 2020-12) of the participant-level and aggregate returns.',
        schema: ref('MonthlyReturn'),
      },
    },
  },
  'POST /api/analytics/query': {
    summary: 'Run an ad-hoc query over the marts',
    description:
      'One SELECT (or WITH … SELECT) in the Athena (Trino) dialect, with `?` for parameters and no closing `;`. In AWS it runs in Athena over the Glue database (one table per exported mart); locally over the same marts in DuckDB, held to the same rules. Admins may query every mart; commissioners and contract managers only the suppressed ones (suppressed_*) and provider_timeliness; providers none. Every query is recorded in the audit log.',
    requestBody: {
      required: true,
      content: json({
        type: 'object',
        required: ['sql'],
        properties: {
          sql: {
            type: 'string',
            examples: [
              'SELECT contract_id, count(*) AS months FROM suppressed_performance WHERE period >= ? GROUP BY contract_id',
            ],
          },
          params: {
            type: 'array',
            items: { type: ['string', 'number', 'boolean', 'null'] },
            description:
              'One value for each `?`, in order. Athena receives them as SQL literals: strings quoted, so compare numbers held as text with CAST.',
          },
          max_rows: {
            type: 'integer',
            minimum: 1,
            maximum: 10000,
            default: 1000,
            description: 'The most rows to return; `truncated` says when more matched.',
          },
        },
      }),
    },
    responses: {
      '200': { description: 'The result.', schema: ref('QueryResult') },
      '400': {
        description:
          'The query must change: its problems, each with the fix (or the reason Athena or DuckDB gave, or the scan limit was reached).',
        schema: ref('QueryProblems'),
      },
      '403': {
        description:
          'You may not run ad-hoc queries (providers), or the query names a table you may not read.',
        schema: ref('Error'),
      },
      '503': {
        description: 'There are no marts to query yet: the figures are being built.',
        schema: ref('Error'),
      },
      '409': {
        description: 'The query was cancelled in Athena before it finished.',
        schema: ref('Error'),
      },
      '504': {
        description: 'The query took too long and was stopped: narrow it by contract or period.',
        schema: ref('Error'),
      },
    },
  },
  'GET /api/openapi.json': {
    summary: 'This document',
    responses: {
      '200': { description: 'The OpenAPI 3.1 description of the API.', schema: { type: 'object' } },
    },
  },
};

/** `/api/returns/:contract/:period/:id` → `/api/returns/{contract}/{period}/{id}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const pathParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

function operation(route: Route, doc: OperationDoc): Schema {
  const parameters: Schema[] = pathParams(route.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: doc.pathParams?.[name] ?? name,
    schema: name === 'period' ? period : { type: 'string' },
  }));
  for (const p of doc.parameters ?? [])
    parameters.push({ ...p, schema: p.schema ?? { type: 'string' } });
  const { access } = route;
  const contract = 'from' in access && access.access !== 'read-programme' ? access.from : null;
  if (contract && 'query' in contract && !parameters.some((p) => p.name === contract.query))
    parameters.push({
      name: contract.query,
      in: 'query',
      required: !contract.optional,
      description: 'The contract id.',
      schema: { type: 'string' },
    });

  const responses: Record<string, Schema> = {};
  for (const [status, r] of Object.entries(doc.responses))
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: r.headers } : {}),
      ...(r.schema ? { content: json(r.schema) } : {}),
    };
  if (access.access !== 'anyone')
    responses['401'] ??= errorResponse(
      'Not signed in: no credentials, or a bad or expired bearer token.',
    );
  if (contract) {
    if (!('param' in contract) && !('optional' in contract && contract.optional))
      responses['400'] ??= errorResponse('No contract given.');
    responses['403'] ??= errorResponse(
      access.access === 'submit-return'
        ? 'You may not submit returns for this contract.'
        : 'You may not see this contract.',
    );
    responses['404'] ??= errorResponse('There is no such contract (or no such item of it).');
  }
  return {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path)
      .replace(/[{}]/g, '')
      .replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(doc.requestBody ? { requestBody: doc.requestBody } : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
    security: access.access === 'anyone' ? [] : [{ bearer: [] }, { session: [] }],
  };
}

/** The return's JSON Schema with its $defs moved into components, so `$ref`s resolve in the document. */
function returnSchemas(): Record<string, Schema> {
  const {
    $defs,
    $schema: _s,
    $id: _id,
    ...schema
  } = returnJsonSchema() as Schema & { $defs?: Record<string, Schema> };
  const text = JSON.stringify({ MonthlyReturn: schema, ...($defs ?? {}) }).replaceAll(
    '"#/$defs/',
    '"#/components/schemas/',
  );
  return JSON.parse(text) as Record<string, Schema>;
}

/**
 * The API's answers as JSON Schema, generated from their zod schemas (./api-shapes.ts): each a
 * component, a shape inside another a reference to it.
 */
function shapeSchemas(): Record<string, Schema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, shape] of Object.entries(apiShapes)) registry.add(shape, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _id, ...json }]) => [id, json as Schema]),
  );
}

/**
 * The document for the routes given (the app's `routes`). Only /api/ routes are described.
 *
 * @example openApiDocument(routes).paths['/api/contracts'].get.summary
 */
export function openApiDocument(routes: readonly Route[]): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    if (!route.path.startsWith('/api/')) continue;
    const doc = apiDocs[`${route.method} ${openApiPath(route.path)}`];
    if (!doc) continue;
    (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(route, doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Outturn API',
      version: '1',
      description:
        'Monthly monitoring returns and performance against profile. Errors are `{ "error": "…" }` with a message that says what to do.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Sent as `Authorization: Bearer <token>`: an Outturn API token locally; in AWS, an access token from the deployment’s Cognito user pool (its app client, with the caller in their role’s group).',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The session cookie of the web app, for its own pages’ calls.',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'string',
              description: 'What went wrong and what to do, in plain words.',
            },
          },
        },
        ...shapeSchemas(),
        QueryProblems: {
          type: 'object',
          required: ['error'],
          properties: {
            error: { type: 'string' },
            problems: {
              type: 'array',
              items: {
                type: 'object',
                required: ['rule', 'message', 'fix'],
                properties: {
                  rule: { type: 'string' },
                  message: { type: 'string' },
                  fix: { type: 'string' },
                  at: {
                    type: 'integer',
                    description: 'Offset of the part in question in the SQL.',
                  },
                },
              },
            },
          },
        },
        ...returnSchemas(),
      },
    },
  };
}
