import { defineConfig } from 'vitest/config';

// End-to-end tests drive the production build in Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 120000,
    hookTimeout: 120000,
    fileParallelism: false,
    // expect.poll gives up after 1 s by default: too short for a real browser on a busy machine.
    expect: { poll: { timeout: 30000 } },
    globalSetup: ['tests/e2e/global-setup.ts'],
  },
});
