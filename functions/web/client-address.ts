/**
 * Where a request came from, as the platform saw it, for the audit log: the socket's peer
 * locally (functions/web/server.ts), API Gateway's source IP in AWS, or the viewer address
 * CloudFront vouches for (functions/lambda/client-address.ts). Never a header the client writes:
 * X-Forwarded-For is whatever the client put there, with proxies' additions after it.
 */
import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    clientAddress: string;
  }
}

/** How a platform tells the app who is asking; undefined when it does not know. */
export type ClientAddressOf = (c: Context) => string | undefined | Promise<string | undefined>;

/** Longest address kept: an IPv6 address with a zone is under 64 characters. */
const MAX_ADDRESS = 64;

/** Notes the platform's address for the request, so every audit entry the request writes names it. */
export function rememberClientAddress(addressOf: ClientAddressOf | undefined): MiddlewareHandler {
  return async (c, next) => {
    const address = addressOf ? await addressOf(c) : undefined;
    c.set('clientAddress', address?.trim().slice(0, MAX_ADDRESS) || 'unknown');
    await next();
  };
}

/**
 * The client's address as the platform gave it, or `unknown` (a request made in-process, as in tests).
 *
 * @example clientAddress(c) // '203.0.113.7'
 */
export function clientAddress(c: Context): string {
  return c.get('clientAddress') ?? 'unknown';
}
