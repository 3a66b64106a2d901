import { randomUUID } from "node:crypto";
import { like } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { rowCount } from "@/tests/support/org-helpers";
import { enforceLimit } from "./enforce";
import { rateLimitStore } from "./index";
import { createPostgresStore } from "./postgres-store";
import { createRedisStore } from "./redis-store";
import type { RateLimitStore } from "./store";

const REDIS_URL = "redis://127.0.0.1:6379";

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500 });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const hasRedis = await redisReachable();
if (!hasRedis)
  console.warn("[rate-limit] Redis is not reachable on 127.0.0.1:6379: the Redis driver tests are skipped.");

/** The contract every store keeps, run against each driver for real. */
function contract(name: string, open: () => Promise<RateLimitStore>, skip = false) {
  describe.skipIf(skip)(`${name} store`, () => {
    let store: RateLimitStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store?.close());

    it("allows `points` hits per window, then rejects with the time left", async () => {
      const limiter = store.limiter({ name: `t.${randomUUID()}`, points: 3, duration: 60 });
      const key = randomUUID();
      for (let i = 0; i < 3; i++) await limiter.consume(key);
      const refused = await limiter.consume(key).catch((e) => e);
      expect(refused).not.toBeInstanceOf(Error);
      expect(refused.remainingPoints).toBe(0);
      expect(refused.msBeforeNext).toBeGreaterThan(55_000);
      expect(refused.msBeforeNext).toBeLessThanOrEqual(60_000);
      // Another key has its own budget.
      await expect(limiter.consume(randomUUID())).resolves.toMatchObject({ remainingPoints: 2 });
    });

    it("counts concurrent hits exactly (atomic increments)", async () => {
      const limiter = store.limiter({ name: `t.${randomUUID()}`, points: 10, duration: 60 });
      const key = randomUUID();
      const results = await Promise.allSettled(Array.from({ length: 25 }, () => limiter.consume(key)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    });

    it("blocks a key for a chosen time, and forgets it on delete", async () => {
      const limiter = store.limiter({ name: `t.${randomUUID()}`, points: 1, duration: 1 });
      const key = randomUUID();
      await limiter.block(key, 30);
      const blocked = await limiter.get(key);
      expect(blocked?.consumedPoints).toBeGreaterThan(1);
      expect(blocked?.msBeforeNext).toBeGreaterThan(25_000);
      await limiter.delete(key);
      expect(await limiter.get(key)).toBeNull();
    });

    it("starts a new window once the old one has expired", async () => {
      const limiter = store.limiter({ name: `t.${randomUUID()}`, points: 1, duration: 1 });
      const key = randomUUID();
      await limiter.consume(key);
      await expect(limiter.consume(key)).rejects.toMatchObject({ remainingPoints: 0 });
      await new Promise((r) => setTimeout(r, 1100));
      await expect(limiter.consume(key)).resolves.toMatchObject({ consumedPoints: 1 });
    });
  });
}

contract("Postgres (the app's database: PGlite or Postgres)", async () => createPostgresStore(await getDb()));
contract("Redis", () => createRedisStore(REDIS_URL), !hasRedis);

describe("Postgres store cleanup", () => {
  it("deletes expired rows and keeps live ones, so the table does not grow forever", async () => {
    const store = createPostgresStore(await getDb());
    const name = `t.${randomUUID()}`;
    const live = store.limiter({ name, points: 5, duration: 60 });
    await live.consume("live");
    const db = await getDb();
    await db
      .insert(rateLimits)
      .values({ key: `${name}:old`, points: 1, expire: new Date(Date.now() - 1000) });
    const mine = like(rateLimits.key, `${name}:%`);
    expect(await rowCount(rateLimits, mine)).toBe(2);
    expect(await store.clearExpired()).toBeGreaterThanOrEqual(1);
    expect(await rowCount(rateLimits, mine)).toBe(1);
  });
});

describe("Redis store", () => {
  it("while Redis is unreachable, still enforces the limits in memory rather than failing or letting all through", async () => {
    const store = await createRedisStore("redis://127.0.0.1:1");
    try {
      const limiter = store.limiter({ name: `t.${randomUUID()}`, points: 2, duration: 60 });
      await limiter.consume("k");
      await limiter.consume("k");
      await expect(limiter.consume("k")).rejects.toMatchObject({ remainingPoints: 0 });
    } finally {
      await store.close();
    }
  });

  it.skipIf(!hasRedis)("keeps counters in Redis under the policy's prefix, with a TTL", async () => {
    const store = await createRedisStore(REDIS_URL);
    const name = `t.${randomUUID()}`;
    await store.limiter({ name, points: 5, duration: 60 }).consume("k");
    const raw = new Redis(REDIS_URL);
    try {
      expect(await raw.get(`dm:rl:${name}:k`)).toBe("1");
      const ttl = await raw.pttl(`dm:rl:${name}:k`);
      expect(ttl).toBeGreaterThan(55_000);
    } finally {
      raw.disconnect();
      await store.close();
    }
  });
});

describe("the store chooser", () => {
  const globals = globalThis as unknown as {
    __dmEnv?: unknown;
    __dmRateLimit?: unknown;
    __dmLimiters?: unknown;
  };
  afterAll(() => {
    delete process.env.REDIS_URL;
    globals.__dmEnv = undefined;
    globals.__dmRateLimit = undefined;
    globals.__dmLimiters = undefined;
  });

  it("uses the database without REDIS_URL", async () => {
    globals.__dmRateLimit = undefined;
    expect((await rateLimitStore()).driver).toBe("postgres");
  });

  it.skipIf(!hasRedis)("uses Redis when REDIS_URL is set, and policies count there", async () => {
    process.env.REDIS_URL = REDIS_URL;
    globals.__dmEnv = undefined;
    globals.__dmRateLimit = undefined;
    globals.__dmLimiters = undefined;
    const store = await rateLimitStore();
    expect(store.driver).toBe("redis");
    const key = randomUUID();
    await enforceLimit("signup.ip", key);
    const raw = new Redis(REDIS_URL);
    try {
      expect(await raw.get(`dm:rl:signup.ip:${key}`)).toBe("1");
    } finally {
      raw.disconnect();
      await store.close();
    }
  });
});
