/**
 * The one error type below the entry points. Whatever refuses a request or an input (the access
 * rules, the ingest, a review, a query, the reference data) throws an `OutturnError` saying what
 * kind of failure it is and, in plain words, what to do; each boundary maps the kind once: the web
 * app to an HTTP status (functions/web/app.ts), the command line to a message and exit code.
 * Named subclasses (`IngestRefusedError`, `QueryError`…) only add the fields their callers read.
 */

/**
 * - `bad-input`: the request or file is malformed (400).
 * - `not-signed-in`: no one is signed in, or their credentials are not good (401).
 * - `forbidden`: the caller may not do this (403).
 * - `not-found`: there is no such thing (404).
 * - `conflict`: it clashes with what is already there (409).
 * - `rejected`: it was read, and refused on its content (422).
 * - `not-ready`: what it needs is not built yet, such as the marts (503).
 */
export type Failure =
  'bad-input' | 'not-signed-in' | 'forbidden' | 'not-found' | 'conflict' | 'rejected' | 'not-ready';

/** @example throw new OutturnError('not-found', 'There is no contract "x". Check the contract id.') */
export class OutturnError extends Error {
  constructor(
    readonly failure: Failure,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'OutturnError';
  }
}

/** What every route says when there are no marts to read yet: once, so it reads the same everywhere. */
export const NO_MARTS_YET =
  'The figures are being built: they appear once a return has been accepted and the marts are built. Try again in a few minutes.';
