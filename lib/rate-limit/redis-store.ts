import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { LimiterSpec, RateLimitStore } from "./store";

const CONNECT_TIMEOUT_MS = 2000;

/**
 * Counters in Redis (REDIS_URL), shared by every server process; keys expire on their own.
 * While Redis is unreachable each process falls back to an in-memory counter with the same
 * limits rather than failing requests or letting them through unlimited.
 */
export async function createRedisStore(url: string): Promise<RateLimitStore> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  client.on("error", (error) => console.warn("[rate-limit] redis:", error.message));
  // Down at start: serve from the in-memory fallback while ioredis keeps reconnecting.
  await client
    .connect()
    .catch((error: Error) => console.warn("[rate-limit] redis unreachable:", error.message));
  return {
    driver: "redis",
    limiter: (spec: LimiterSpec) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `dm:rl:${spec.name}`,
        points: spec.points,
        duration: spec.duration,
        insuranceLimiter: new RateLimiterMemory({
          keyPrefix: spec.name,
          points: spec.points,
          duration: spec.duration,
        }),
      }),
    clearExpired: async () => 0,
    close: async () => {
      client.disconnect();
    },
  };
}
