import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn servers and Git processes; two workers match the 2-core CI machine.
    maxWorkers: 2,
    // Builds dist/ once per run for tests that run the CLI as a child process.
    globalSetup: ["test/support/build-once.ts"],
  },
});
