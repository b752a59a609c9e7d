import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Each file starts its own emulator on an ephemeral port; the 2 cores are the limit.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
