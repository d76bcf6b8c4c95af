import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

/**
 * Serves the production build (dist/, made by `npm run test:e2e` before this runs) with vite's preview server,
 * in this process, on a port the operating system chooses (`port: 0`): the port is read back from the bound
 * server, so two runs side by side never pick the same one and nothing waits for a child to come up.
 */
let server: PreviewServer | undefined;

async function startOnFreePort(): Promise<PreviewServer> {
  // Vite asks the OS for an ephemeral port, then binds it; should another process take it in between
  // ("Port … is already in use"), ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
    } catch (error) {
      if (attempt >= 3 || !/already in use/.test(String(error))) throw error;
    }
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `vite build` before the end-to-end tests.');
  server = await startOnFreePort();
  const { port } = server.httpServer.address() as AddressInfo;
  project.provide('baseUrl', `http://127.0.0.1:${port}/`);
  return async () => {
    await server?.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
