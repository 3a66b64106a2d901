import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import type { LogFields } from "./log";
import { afterCommit, serializeError, writer } from "./transaction";

const deadlock = () =>
  Object.assign(new Error("Failed query: update ..."), {
    cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }),
  });

describe("writer", () => {
  it("retries a deadlocked transaction and runs only the committed attempt's after-commit effects", async () => {
    const db = await getDb();
    const logged: LogFields[] = [];
    const write = writer(db, false, (_l, f) => logged.push(f));
    const effects: number[] = [];
    let attempts = 0;
    const result = await write(async (tx) => {
      const attempt = ++attempts;
      await tx.execute(sql`select 1`);
      afterCommit(tx, () => effects.push(attempt));
      if (attempt < 3) throw deadlock();
      return "stored";
    });
    expect(result).toBe("stored");
    expect(effects).toEqual([3]);
    expect(logged.map((f) => f.msg)).toEqual(["tx.retry", "tx.retry"]);
    expect(logged[0]?.error).toMatchObject({ code: "40P01", message: "deadlock detected" });
  });

  it("does not retry other errors", async () => {
    const db = await getDb();
    let attempts = 0;
    const write = writer(db, false, () => {});
    await expect(
      write(async () => {
        attempts++;
        throw new Error("a bug");
      }),
    ).rejects.toThrow("a bug");
    expect(attempts).toBe(1);
  });
});

it("logs a failed query with the database's code and message, not only drizzle's wrapper", async () => {
  const db = await getDb();
  const error = await db.execute(sql`select * from engine_no_such_table`).catch((e: unknown) => e);
  expect(serializeError(error)).toMatchObject({
    code: "42P01",
    message: 'relation "engine_no_such_table" does not exist',
  });
});
