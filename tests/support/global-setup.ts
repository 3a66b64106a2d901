import { migrate } from "drizzle-orm/postgres-js/migrator";

/**
 * With DATABASE_URL (CI, real Postgres) the schema is migrated once per run; without it every
 * test process opens an in-memory PGlite that migrates itself.
 */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.env.PGLITE_DIR = "memory://";
    return;
  }
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder: "db/migrations" });
  await client.end();
}
