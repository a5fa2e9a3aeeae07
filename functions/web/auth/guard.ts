/**
 * Every route is declared with the access it needs, and reaches its handler only through
 * `guard`, which identifies the caller and applies the policy. A handler for a contract is given
 * the contract the policy allowed, never a raw id, so a route cannot forget the check and still
 * compile; and `isGuarded` lets the route tests prove no handler was registered around it.
 */
import type { Context, Handler } from 'hono';
import {
  checkContractAccess,
  checkProgrammeAccess,
  checkUserAccess,
  type ContractAccessKind,
  type ProgrammeAccessKind,
  type UserAccessKind,
} from '../../../pipelines/access/index.js';
import { loadReferenceCached } from '../../../pipelines/ingest/reference-store.js';
import type {
  Contract,
  Programme,
  ReferenceData,
  User,
} from '../../../pipelines/reference/schema.js';
import { isApiPath } from '../api-path.js';
import type { Deps } from '../deps.js';
import { SignInNeeded, WebError } from '../errors.js';
import { requestFields } from '../request-fields.js';
import { cognitoUser, verifyCognitoToken } from './cognito.js';
import { readSession } from './session.js';
import { verifyToken, type TokenCheck } from './tokens.js';

/** Where a route finds the id of the contract (or programme) it acts on. */
export type ContractFrom =
  | { param: string }
  | { query: string; optional?: false }
  | { query: string; optional: true }
  | { form: string };

/**
 * The access kind a route needs (pipelines/access/kinds.ts): anyone; any signed-in user, or one a
 * rule allows (`'admin'`, `'portfolio'`…); or a rule about one contract or programme, named where
 * the request carries its id.
 */
export type Access =
  | { access: 'anyone' }
  | { access: UserAccessKind }
  | { access: ContractAccessKind; from: ContractFrom }
  | { access: ProgrammeAccessKind; from: { param: string } };

/** The signed-in user, the reference data their rights were judged against, and how they proved who they are. */
export interface Caller {
  user: User;
  reference: ReferenceData;
  via: 'session' | 'token';
}

/** What a handler is given once `guard` has let the request through. */
export type Granted<A extends Access> = A extends { access: 'anyone' }
  ? { deps: Deps }
  : A extends { access: UserAccessKind }
    ? { deps: Deps; caller: Caller }
    : A extends { access: ProgrammeAccessKind }
      ? { deps: Deps; caller: Caller; programme: Programme }
      : A extends { from: { optional: true } }
        ? { deps: Deps; caller: Caller; contract: Contract | null }
        : { deps: Deps; caller: Caller; contract: Contract };

export type GuardedHandler<A extends Access> = (
  c: Context,
  granted: Granted<A>,
) => Response | Promise<Response>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  /** The Hono handler for the app built from `deps`, wrapped in the guard. */
  handler(deps: Deps): Handler;
}

const guarded = new WeakSet<Function>();

/** True for handlers made by `guard`: the route tests check every registered route is one. */
export function isGuarded(handler: Function): boolean {
  return guarded.has(handler);
}

/**
 * Declares a route and the access it needs.
 *
 * @example route('GET', '/api/contracts/:id/performance', { access: 'read-contract', from: { param: 'id' } }, (c, { contract }) => c.json(contract))
 */
export function route<const A extends Access>(
  method: Route['method'],
  path: string,
  access: A,
  handle: GuardedHandler<A>,
): Route {
  return { method, path, access, handler: (deps) => guard(deps, access, handle) };
}

/** The handler that checks `access` and then calls `handle`. */
export function guard<A extends Access>(deps: Deps, access: A, handle: GuardedHandler<A>): Handler {
  const handler: Handler = async (c) => {
    if (access.access === 'anyone') return handle(c, { deps } as Granted<A>);
    const caller = await identify(c, deps);
    if (!caller)
      throw new SignInNeeded(
        'Sign in to use Outturn: send a session cookie or an Authorization: Bearer token.',
      );
    const { user, reference } = caller;
    if (!('from' in access)) {
      checkUserAccess(access.access, user);
      return handle(c, { deps, caller } as Granted<A>);
    }
    if (access.access === 'read-programme') {
      const id = c.req.param(access.from.param) ?? '';
      const programme = checkProgrammeAccess(access.access, user, reference, id);
      return handle(c, { deps, caller, programme } as Granted<A>);
    }
    const [id, field] = await contractId(c, access.from);
    if (id === undefined) {
      if ('optional' in access.from && access.from.optional)
        return handle(c, { deps, caller, contract: null } as Granted<A>);
      throw new WebError(400, `Say which contract: give its id in "${field}".`);
    }
    const contract = checkContractAccess(access.access, user, reference, id);
    return handle(c, { deps, caller, contract } as Granted<A>);
  };
  guarded.add(handler);
  return handler;
}

const tokenProblems: Record<Extract<TokenCheck, { ok: false }>['reason'], string> = {
  malformed: 'The bearer token is not an Outturn API token. Check it was copied whole.',
  bad_signature:
    'The bearer token is not valid: it was changed, or it was issued by another Outturn. Ask for a new token.',
  expired: 'The bearer token has expired. Ask for a new token.',
};

/**
 * Pages know the caller by the session cookie. The API takes a bearer token and, for calls
 * from the app's own pages, the session cookie; a request that sends a bearer token is judged
 * on it alone, so a bad token is refused even if the browser also sent a good cookie.
 *
 * With Cognito (deps.cognito set) the bearer token is a Cognito access token, never an Outturn
 * API token, and a session counts only if it was started by a Cognito sign-in, so no session
 * from the local demo sign-in is honoured there even if the secret and store were shared.
 */
async function identify(c: Context, deps: Deps): Promise<Caller | null> {
  // Credentials are checked before the reference data is read, so an anonymous request costs nothing.
  const authorization = c.req.header('authorization');
  if (isApiPath(c.req.path) && authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!bearer) throw new SignInNeeded('Send the token as "Authorization: Bearer <token>".');
    if (deps.cognito) {
      const check = await verifyCognitoToken(deps.cognito, bearer[1]!, 'access', deps.now());
      if (!check.ok) throw new SignInNeeded(check.problem);
      const reference = await loadReferenceCached(deps.store);
      const found = cognitoUser(reference.users, check.identity);
      if (!found.ok)
        throw found.status === 401
          ? new SignInNeeded(found.problem)
          : new WebError(found.status, found.problem);
      return { user: found.user, reference, via: 'token' };
    }
    const check = await verifyToken(bearer[1]!, deps.sessionSecret, deps.now());
    if (!check.ok) throw new SignInNeeded(tokenProblems[check.reason]);
    const reference = await loadReferenceCached(deps.store);
    const user = reference.users.find((u) => u.id === check.userId);
    if (!user)
      throw new SignInNeeded(
        `The bearer token is for "${check.userId}", who is no longer an Outturn user.`,
      );
    return { user, reference, via: 'token' };
  }
  const session = await readSession(c, deps);
  if (session === null || (deps.cognito && session.via !== 'cognito')) return null;
  const reference = await loadReferenceCached(deps.store);
  const user = reference.users.find((u) => u.id === session.userId);
  return user ? { user, reference, via: 'session' } : null;
}

async function contractId(c: Context, from: ContractFrom): Promise<[string | undefined, string]> {
  let value: unknown;
  let field: string;
  if ('param' in from) [value, field] = [c.req.param(from.param), from.param];
  else if ('query' in from) [value, field] = [c.req.query(from.query), from.query];
  else [value, field] = [(await requestFields(c))[from.form], from.form];
  return [typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined, field];
}
