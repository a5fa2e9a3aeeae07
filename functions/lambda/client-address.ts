/**
 * The client's address in AWS, for the audit log (docs/decisions/026-web-hardening.md).
 *
 * API Gateway's `requestContext.http.sourceIp` is the TCP peer it saw, which no client can
 * write. Behind CloudFront that peer is a CloudFront edge, so the viewer's own address is taken
 * from the header the distribution's viewer-request function writes from `event.viewer.ip`
 * (infra/site.ts) — but only when the request also carries the origin secret, a header
 * CloudFront adds to every request it forwards (replacing any a viewer sent), so the request
 * provably came through this distribution. A request sent to the API's own URL, past
 * CloudFront, has no secret, and is recorded from its source IP whatever headers it carries.
 */
import type { Context } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { ClientAddressOf } from '../web/client-address.js';

/** Added by CloudFront to every origin request: the origin secret. */
export const ORIGIN_SECRET_HEADER = 'x-outturn-origin-secret';
/** Written by the viewer-request function: the address CloudFront saw the viewer connect from. */
export const VIEWER_ADDRESS_HEADER = 'x-outturn-viewer-address';

/** An IPv4 or IPv6 address as CloudFront writes it (no port). */
const IP_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$/;

function sourceIp(c: Context): string | undefined {
  const env = c.env as { requestContext?: { http?: { sourceIp?: unknown } } } | undefined;
  const ip = env?.requestContext?.http?.sourceIp;
  return typeof ip === 'string' ? ip : undefined;
}

/**
 * @param originSecret The value CloudFront sends in `x-outturn-origin-secret`; without one,
 *   only the source IP is used.
 */
export function apiGatewayClientAddress(originSecret: string | undefined): ClientAddressOf {
  return async (c) => {
    const sent = c.req.header(ORIGIN_SECRET_HEADER);
    const viewer = c.req.header(VIEWER_ADDRESS_HEADER)?.trim();
    if (
      originSecret &&
      sent !== undefined &&
      viewer !== undefined &&
      IP_ADDRESS.test(viewer) &&
      (await timingSafeEqual(sent, originSecret))
    )
      return viewer;
    return sourceIp(c);
  };
}
