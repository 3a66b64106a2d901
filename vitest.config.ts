import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const checkout = createHash("sha256")
  .update(import.meta.dirname)
  .digest("hex")
  .slice(0, 8);

export default defineConfig({
  // Outside the project: `next dev` watches node_modules/.vite and reloads every open page each time
  // vitest writes its results there. One cache per checkout, so two clones never share one.
  cacheDir: path.join(os.tmpdir(), `dafnckmachine-vite-${checkout}`),
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests import server modules directly.
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "tests/e2e/**", ".next/**"],
    setupFiles: ["tests/support/setup.ts"],
    // next-auth imports `next/server` without an extension, which Node's ESM loader refuses;
    // inlining lets Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One database per run; files share it, each test makes its own users and organizations.
    fileParallelism: false,
  },
});
