import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { VitePWA } from 'vite-plugin-pwa';
import { languageModelOnce } from './scripts/vite/language-model-once.js';

// Exports record which Codebench computed them (src/lib/state/agreement.svelte.ts).
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [
    svelte(),
    svelteTesting(),
    languageModelOnce(),
    // Installable, and usable offline after the first visit: the service worker precaches the whole build (page,
    // chunks, workers, the language model, the sample study, icons). A new version waits until the author chooses
    // to reload (src/ui/common/update-prompt.svelte registers it), so a coding session is never reloaded under her.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'Codebench',
        short_name: 'Codebench',
        description: 'Code free-text questionnaire answers in the browser; nothing leaves the machine.',
        // The light theme's tokens (src/ui/tokens.css): --color-accent and --color-bg.
        theme_color: '#2454a6',
        background_color: '#f7f7f5',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Everything in dist/ (tests/e2e/bundle-budget.e2e.ts checks that no file is left out).
        globPatterns: ['**/*'],
        globIgnores: ['.vite/**'],
        // The language model is one 3.8 MB file; the default limit (2 MiB) would leave it out, and search offline.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The first visit is controlled at once (offline works without a second load); an update still waits.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  define: { __APP_VERSION__: JSON.stringify(version) },
  // Each worker is a build of its own: the language model plugin must run there too, to share one model file.
  worker: { format: 'es', plugins: () => [languageModelOnce()] },
  // The manifest tells scripts/bench/bundle.ts which chunks index.html loads before the first paint.
  build: { target: 'es2022', chunkSizeWarningLimit: 2000, manifest: true },
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
