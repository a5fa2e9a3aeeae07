/**
 * `npx cdk synth` works offline on a fresh checkout. Every HTTP(S) request the CLI or the app
 * might make (notices, version check, telemetry) is sent to a proxy that this test runs and
 * that answers nothing: the synth must exit 0 and the proxy must see no connection at all.
 * Where DNS is down too, the CLI gives up before reaching the proxy ("No internet connectivity
 * detected"), so its debug log (-vv) is also checked for any attempt: notices refreshed,
 * telemetry sent.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/bundling.js';

async function synthThroughDeadProxy(
  extraArgs: string[] = [],
): Promise<{ status: number | null; output: string; connections: number; out: string }> {
  const attempts: Socket[] = [];
  const proxy = createServer((socket) => {
    attempts.push(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const out = mkdtempSync(join(tmpdir(), 'outturn-infra-synth-'));
  try {
    const child = spawn(
      'npx',
      ['--no-install', 'cdk', 'synth', '--quiet', '--output', out, ...extraArgs],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          HTTP_PROXY: url,
          HTTPS_PROXY: url,
          http_proxy: url,
          https_proxy: url,
          NO_PROXY: '',
          no_proxy: '',
          npm_config_update_notifier: 'false',
        },
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { status, output, connections: attempts.length, out };
  } finally {
    proxy.close();
  }
}

describe('npx cdk synth', () => {
  it('exits 0 without touching the network', async () => {
    const result = await synthThroughDeadProxy(['-vv']);
    const tail = result.output.slice(-4000);
    expect(result.status, tail).toBe(0);
    expect(result.connections, tail).toBe(0);
    expect(result.output).not.toMatch(/refresh notices|NoConnectivity|NoticesFetch/i);
    expect(result.output).toContain('Telemetry disabled');
    expect(existsSync(join(result.out, 'OutturnStack.template.json'))).toBe(true);
    rmSync(result.out, { recursive: true, force: true });
  }, 300_000);
});
