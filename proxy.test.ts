import type { NextConfig } from "next";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { setTestEnv } from "@/tests/support/env";
// @ts-expect-error next.config.js is plain JavaScript (Next loads it before any TypeScript).
import nextConfigModule from "./next.config.js";
import { proxy } from "./proxy";

const nextConfig = nextConfigModule as NextConfig;
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
});

function run(url: string, headers: Record<string, string> = {}) {
  const res = proxy(new NextRequest(url, { headers }));
  const csp = res.headers.get("content-security-policy") ?? "";
  const directives = Object.fromEntries(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
  // What Next reads for the nonce when it renders: the request headers the proxy passes on.
  const forwarded = (name: string) => res.headers.get(`x-middleware-request-${name}`);
  return { res, csp, directives, forwarded };
}

describe("proxy: Content-Security-Policy", () => {
  it("sets a strict policy with a fresh nonce on the response and on the request Next renders", () => {
    setTestEnv({ NODE_ENV: "production" });
    const a = run("http://localhost:3000/sign-in");
    const nonce = a.forwarded("x-nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a.forwarded("content-security-policy")).toBe(a.csp);
    expect(a.directives).toEqual({
      "default-src": ["'self'"],
      "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"],
      "style-src": ["'self'", "'unsafe-inline'"],
      "img-src": ["'self'", "data:", "blob:"],
      "font-src": ["'self'"],
      "connect-src": ["'self'"],
      "object-src": ["'none'"],
      "base-uri": ["'self'"],
      "form-action": ["'self'", "https:"],
      "frame-ancestors": ["'none'"],
    });
    expect(run("http://localhost:3000/sign-in").forwarded("x-nonce")).not.toBe(nonce);
  });

  it("replaces a nonce or policy the client sent", () => {
    setTestEnv({ NODE_ENV: "production" });
    const { forwarded } = run("http://localhost:3000/", {
      "x-nonce": "attacker",
      "content-security-policy": "script-src *",
    });
    expect(forwarded("x-nonce")).not.toBe("attacker");
    expect(forwarded("content-security-policy")).not.toContain("script-src *");
  });

  it("allows eval only in development, and http: form targets only with a local insecure IdP", () => {
    setTestEnv({ NODE_ENV: "development", SSO_ALLOW_INSECURE_ISSUER: "1" });
    const { directives } = run("http://localhost:3000/");
    expect(directives["script-src"]).toContain("'unsafe-eval'");
    expect(directives["form-action"]).toEqual(["'self'", "https:", "http:"]);
  });
});

describe("proxy: HSTS", () => {
  const hsts = (url: string, headers?: Record<string, string>) =>
    run(url, headers).res.headers.get("strict-transport-security");

  it("in production over https (APP_URL, the request, or a trusted proxy's X-Forwarded-Proto)", () => {
    setTestEnv({ NODE_ENV: "production", APP_URL: "https://app.example.com" });
    expect(hsts("http://10.0.0.5:3000/")).toBe("max-age=63072000; includeSubDomains");
    setTestEnv({ APP_URL: undefined });
    expect(hsts("https://app.example.com/")).toBe("max-age=63072000; includeSubDomains");
    setTestEnv({ AUTH_TRUST_HOST: "true" });
    expect(hsts("http://10.0.0.5:3000/", { "x-forwarded-proto": "https" })).toBe(
      "max-age=63072000; includeSubDomains",
    );
  });

  it("never over plain http or outside production", () => {
    // The test setup trusts a proxy (AUTH_TRUST_HOST) for every other file: not here.
    setTestEnv({ NODE_ENV: "production", APP_URL: "http://localhost:3000", AUTH_TRUST_HOST: undefined });
    expect(hsts("http://localhost:3000/")).toBeNull();
    // Without AUTH_TRUST_HOST a client's X-Forwarded-Proto says nothing.
    expect(hsts("http://localhost:3000/", { "x-forwarded-proto": "https" })).toBeNull();
    setTestEnv({ NODE_ENV: "development", APP_URL: "https://app.example.com" });
    expect(hsts("https://app.example.com/")).toBeNull();
  });
});

describe("next.config.js headers", () => {
  it("sends nosniff, Referrer-Policy, Permissions-Policy and X-Frame-Options on every path", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    expect(rules).toEqual([
      {
        source: "/:path*",
        headers: expect.arrayContaining([
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          {
            key: "Permissions-Policy",
            value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
          },
          { key: "X-Frame-Options", value: "DENY" },
        ]),
      },
    ]);
  });

  it("lets the dev server be opened at 127.0.0.1 and [::1]", () => {
    expect(nextConfig.allowedDevOrigins).toEqual(expect.arrayContaining(["127.0.0.1", "[::1]"]));
  });
});
