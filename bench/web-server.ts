/**
 * The web server as bench/web runs it: functions/web/server.ts, ended by SIGTERM through
 * process.exit, so that `node --cpu-prof` (bench/web's --profile) writes its profile on the way out.
 */
import { startServer } from '../functions/web/server.js';

await startServer();
process.on('SIGTERM', () => process.exit(0));
