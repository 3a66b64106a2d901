import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { env } from "@/lib/env";
import { closeDb, getDb, migrationsFolder } from "./index";

/** `npm run db:migrate`: applies committed migrations to DATABASE_URL (as its owner). */
async function main() {
  const db = await getDb();
  if (env().DATABASE_URL) {
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the driver-specific type
    await migratePostgres(db as any, { migrationsFolder });
  } else {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    await migratePglite(db as any, { migrationsFolder });
  }
  await closeDb();
  console.log(`Migrations applied (${env().DATABASE_URL ? "DATABASE_URL" : "embedded PGlite"}).`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
