/**
 * `vite preview` of the production build as a detached child process on a
 * loopback port the operating system picks (`--port 0`; the child prints it). The whole process group is killed by stop(), and also
 * when the bench exits, fails or is interrupted (see installExitHandlers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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

export async function startPreview(distDir: string, log: (line: string) => void): Promise<PreviewServer> {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: build the app first (npm run bench runs \`vite build\`).`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start(distDir, log);
    } catch (err) {
      lastError = err;
      log(`vite preview failed (${(err as Error).message}); trying again`);
    }
  }
  throw lastError;
}

/** `--port 0`: the operating system picks a free port, and the child prints the URL it bound. */
async function start(distDir: string, log: (line: string) => void): Promise<PreviewServer> {
  const args = ['vite', 'preview', '--port', '0', '--strictPort', '--host', '127.0.0.1', '--outDir', distDir];
  const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const fail = (message: string): never => {
    killGroup(child);
    running.delete(child);
    throw new Error(`${message}: ${output.trim().slice(-800)}`);
  };
  const deadline = Date.now() + 60_000;
  let url = '';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) fail(`vite preview exited (${child.exitCode ?? child.signalCode})`);
    url ||= /http:\/\/127\.0\.0\.1:\d+\//.exec(output)?.[0] ?? '';
    if (url) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (response.ok) break;
      } catch {
        // not answering yet
      }
    }
    if (Date.now() > deadline) fail(`vite preview did not ${url ? `answer on ${url}` : 'print its URL'} within 60 s`);
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
