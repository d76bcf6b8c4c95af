import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { languageModelOnce } from './scripts/vite/language-model-once';

// Exports record which Codebench computed them (src/lib/state/agreement.svelte.ts).
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [svelte(), svelteTesting(), languageModelOnce()],
  define: { __APP_VERSION__: JSON.stringify(version) },
  // Each worker is a build of its own: the language model plugin must run there too, to share one model file.
  worker: { format: 'es', plugins: () => [languageModelOnce()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/component/**/*.test.ts', 'tests/bad-input/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 20000,
    // expect.poll gives up after 1 s by default, which a busy machine can exceed; a condition that never holds still fails.
    expect: { poll: { timeout: 15000 } },
  },
});
