/**
 * Serves the web app on this machine with @hono/node-server, on 127.0.0.1 only.
 *
 *   PORT                     the port (default 3000)
 *   OUTTURN_SESSION_SECRET   signs session cookies and API tokens; when unset a random secret is
 *                            made at each start, so restarting signs everyone out and
 *                            invalidates every token issued before. Set it to keep sessions.
 *
 * The store comes from the same settings as the CLI (see pipelines/store/open-store.ts).
 */
import { mailerFromEnv } from '../../pipelines/notify/mailer.js';
import { randomBytes } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { describeStoreConfig, openStore, type Env } from '../../pipelines/store/open-store.js';
import { createApp } from './app.js';

export interface StartedServer {
  url: string;
  server: ServerType;
}

/**
 * @example const { url } = await startServer(); // http://127.0.0.1:3000/
 */
export function startServer(
  env: Env = process.env,
  log: (line: string) => void = console.log,
): Promise<StartedServer> {
  const port = Number(env.PORT?.trim() || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number from 0 to 65535, not "${env.PORT}".`);
  const sessionSecret = env.OUTTURN_SESSION_SECRET?.trim() || randomBytes(32).toString('base64url');
  const app = createApp({
    store: openStore(env),
    sessionSecret,
    // The socket's peer: the server listens on 127.0.0.1 only, so no proxy header is trusted.
    clientAddress: (c) => getConnInfo(c).remote.address,
    mailer: mailerFromEnv(env),
  });
  if (!env.OUTTURN_SMTP_URL?.trim())
    log('No mail server configured (OUTTURN_SMTP_URL is not set): no email notices will be sent.');
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
      const url = `http://127.0.0.1:${info.port}/`;
      log(`Outturn is serving ${url} (data: ${describeStoreConfig(env)})`);
      resolve({ url, server });
    });
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on 127.0.0.1 is in use: stop whatever is using it, or set PORT to another port.`,
            )
          : e,
      ),
    );
  });
}

const invokedDirectly =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) await startServer();
