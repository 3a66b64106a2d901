import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Extensions } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env, isBuildPhase, pgliteDir } from "@/lib/env";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the root client or a transaction: what query helpers accept. */
export type Executor = Db | Tx;

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

type Handle = { db: Db; driver: "postgres" | "pglite"; close: () => Promise<void> };

// One client per process, shared across the module copies Next loads (instrumentation, routes,
// pages). Two PGlite instances on one folder corrupt it, so the instance lives on globalThis.
const globalForDb = globalThis as unknown as { __dmDb?: Promise<Handle> };

async function open(): Promise<Handle> {
  const url = env().DATABASE_URL;
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(url, { max: 10, onnotice: () => {} });
    return {
      db: drizzle(client, { schema }) as unknown as Db,
      driver: "postgres",
      close: () => client.end(),
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const dir = pgliteDir();
  const inMemory = dir.endsWith("memory:") || (env().PGLITE_DIR ?? "").startsWith("memory://");
  if (!inMemory) mkdirSync(path.dirname(dir), { recursive: true });
  const client = new PGlite({ dataDir: inMemory ? undefined : dir, extensions: await pgliteExtensions() });
  const db = drizzle(client, { schema });
  // Embedded mode migrates itself: a fresh laptop has nobody to run `db:migrate`.
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Db, driver: "pglite", close: () => client.close() };
}

/**
 * The extensions the schema uses, loaded into PGlite (Postgres has them installed): `pg_trgm` for
 * knowledge search, pgvector for its embeddings. `PGLITE_VECTOR=off` leaves pgvector out, so the
 * SQL fallback is what runs (tests of that path; a folder created without it stays without it).
 */
export async function pgliteExtensions(): Promise<Extensions> {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  if (process.env.PGLITE_VECTOR === "off") return { pg_trgm };
  const { vector } = await import("@electric-sql/pglite-pgvector");
  return { pg_trgm, vector };
}

function handle(): Promise<Handle> {
  if (isBuildPhase()) {
    throw new Error(
      "The database was opened during `next build`. Pages that query must call `await connection()` first.",
    );
  }
  globalForDb.__dmDb ??= open().catch((error) => {
    globalForDb.__dmDb = undefined;
    throw error;
  });
  return globalForDb.__dmDb;
}

/** The owner connection. App code goes through `withTenant`/`asApp`; this is for auth and migrations. */
export async function getDb(): Promise<Db> {
  return (await handle()).db;
}

export async function dbDriver(): Promise<"postgres" | "pglite"> {
  return (await handle()).driver;
}

export async function closeDb(): Promise<void> {
  const h = globalForDb.__dmDb;
  globalForDb.__dmDb = undefined;
  if (h) await (await h).close();
}

/**
 * Runs `fn` in a transaction as the non-superuser app role with the organization (and user) set,
 * so Postgres row-level security confines every statement to that organization — a second layer
 * under the `org_id` filter each query carries.
 */
export async function withTenant<T>(
  scope: { orgId: string; userId?: string | null },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    // One round trip: `set_config('role', …, true)` is SET LOCAL ROLE, evaluated after the settings.
    await tx.execute(
      sql`select set_config('app.org_id', ${scope.orgId}, true), set_config('app.user_id', ${scope.userId ?? ""}, true), set_config('role', 'dm_app', true)`,
    );
    return fn(tx);
  });
}

/**
 * Runs `fn` as the app role with no organization set: tenant tables show only what the user's
 * own-row policies allow (their memberships and organizations).
 */
export async function asUser<T>(userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.org_id', '', true), set_config('app.user_id', ${userId ?? ""}, true), set_config('role', 'dm_app', true)`,
    );
    return fn(tx);
  });
}

export { schema };
