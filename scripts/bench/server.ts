/**
 * `vite preview` of the production build as a detached child process on a
 * free loopback port. The whole process group is killed by stop(), and also
 * when the bench exits, fails or is interrupted (see installExitHandlers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface PreviewServer {
  url: string;
  origin: string;
  pid: number;
  stop(): void;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Kills every preview server still running; safe to call more than once. */
export function stopAllServers() {
  for (const child of running) killGroup(child);
  running.clear();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export async function startPreview(distDir: string, log: (line: string) => void): Promise<PreviewServer> {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: build the app first (npm run bench runs \`vite build\`).`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, distDir, log);
    } catch (err) {
      lastError = err;
      log(`vite preview on port ${port} failed (${(err as Error).message}); trying another port`);
    }
  }
  throw lastError;
}

async function startOn(port: number, distDir: string, log: (line: string) => void): Promise<PreviewServer> {
  const args = ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', distDir];
  const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      throw new Error(`vite preview exited (${child.exitCode ?? child.signalCode}): ${output.trim().slice(-800)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      killGroup(child);
      running.delete(child);
      throw new Error(`vite preview did not answer on ${url} within 30 s: ${output.trim().slice(-800)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  log(`serving ${distDir}/ at ${url} (vite preview, pid ${child.pid})`);
  return {
    url,
    origin: url.replace(/\/$/, ''),
    pid: child.pid!,
    stop() {
      killGroup(child);
      running.delete(child);
    },
  };
}
