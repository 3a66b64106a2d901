import { afterEach, describe, expect, it } from "vitest";
import { ipKey } from "@/lib/rate-limit/enforce";
import { clientIp } from "./request-meta";

const globalForEnv = globalThis as unknown as { __dmEnv?: unknown };

function withTrust(value: string | undefined) {
  if (value === undefined) delete process.env.AUTH_TRUST_HOST;
  else process.env.AUTH_TRUST_HOST = value;
  globalForEnv.__dmEnv = undefined;
}

afterEach(() => withTrust("true"));

describe("client IP", () => {
  it("behind the trusted proxy, is the entry that proxy appended (the last), not what the client claimed", () => {
    withTrust("true");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.7" }))).toBe("198.51.100.7");
    expect(clientIp(new Headers({ "x-forwarded-for": "198.51.100.7" }))).toBe("198.51.100.7");
    expect(clientIp(new Headers({ "x-forwarded-for": "::ffff:192.0.2.1" }))).toBe("192.0.2.1");
    expect(clientIp(new Headers({ "x-forwarded-for": "not-an-ip" }))).toBeNull();
    expect(clientIp(new Headers())).toBeNull();
  });

  it("without a trusted proxy, ignores X-Forwarded-For and X-Real-IP, so a client cannot rotate IPs", () => {
    withTrust(undefined);
    const spoofed = ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map((ip) =>
      clientIp(new Headers({ "x-forwarded-for": ip, "x-real-ip": ip })),
    );
    expect(spoofed).toEqual([null, null, null]);
    // …and every such caller shares one per-IP bucket.
    expect(new Set(spoofed.map(ipKey))).toEqual(new Set(["unknown"]));
  });

  it("keys IPv6 clients by their /64, since each can pick any address inside it", () => {
    expect(ipKey("2001:db8:1:2:aaaa::1")).toBe(ipKey("2001:db8:1:2:ffff::9"));
    expect(ipKey("2001:db8:1:2::1")).not.toBe(ipKey("2001:db8:1:3::1"));
    expect(ipKey("203.0.113.9")).toBe("203.0.113.9");
  });
});
