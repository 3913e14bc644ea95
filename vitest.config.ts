import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Packages are plain folders resolved by alias (the same map as tsconfig "paths" and esbuild's tsconfig
// resolution), so there is one install, one lockfile and no workspace symlinks to keep in sync.
export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@mlops\/([^/]+)\/(.+)$/,
        replacement: fileURLToPath(new URL('./packages/$1/src/$2.ts', import.meta.url)),
      },
      {
        find: /^@mlops\/([^/]+)$/,
        replacement: fileURLToPath(new URL('./packages/$1/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['packages/**/*.test.ts', 'actions/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Config parsers are synchronous once the YAML parser is loaded (actions load it on demand).
    setupFiles: ['test/setup/yaml-parser.ts'],
    globalSetup: ['test/setup/temp-root.ts'],
  },
});
