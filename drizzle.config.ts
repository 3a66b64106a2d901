import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this file; migrations are applied by db/migrate.ts
// (production) or automatically on first use (embedded PGlite).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  entities: { roles: { provider: "" } },
});
