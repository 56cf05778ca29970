import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // pty-backed tests start socat processes; keep parallelism modest on a 2-core box
    maxWorkers: 2,
  },
});
