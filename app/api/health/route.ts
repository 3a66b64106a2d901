import { sql } from "drizzle-orm";
import { connection } from "next/server";
import { dbDriver, getDb } from "@/db";

/** Liveness and database reachability, for load balancers and the end-to-end harness. */
export async function GET() {
  await connection();
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json({ ok: true, database: await dbDriver() });
  } catch (error) {
    console.error("[health] database check failed", error);
    return Response.json({ ok: false }, { status: 503 });
  }
}
