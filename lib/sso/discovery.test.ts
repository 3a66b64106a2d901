import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { classifyAddress } from "@/lib/net/classify-address";
import { UNREACHABLE_MESSAGE } from "@/lib/net/vet-url";
import { setTestEnv } from "@/tests/support/env";
import { startOidcProvider, type TestOidcProvider } from "@/tests/support/oidc-provider";
import { verifyIssuer } from "./discovery";

let idp: TestOidcProvider;
let fake: Server;
let fakeUrl: string;
const hits: string[] = [];

beforeAll(async () => {
  setTestEnv({ SSO_ALLOW_INSECURE_ISSUER: "1", ALLOW_PRIVATE_NETWORK_URLS: "1" });
  idp = await startOidcProvider({
    port: 0,
    clientId: "c",
    clientSecret: "s",
    redirectUris: ["http://localhost/cb"],
  });
  fake = createServer((req, res) => {
    hits.push(req.url ?? "");
    const json = (doc: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
    if (req.url === "/liar/.well-known/openid-configuration") {
      json({ issuer: "https://someone-else.example", authorization_endpoint: "x" });
    } else if (req.url === "/inside/.well-known/openid-configuration") {
      json({
        issuer: `${fakeUrl}/inside`,
        authorization_endpoint: `${fakeUrl}/auth`,
        token_endpoint: "http://10.0.0.7/token",
        jwks_uri: `${fakeUrl}/jwks`,
      });
    } else if (req.url === "/hop/.well-known/openid-configuration") {
      res
        .writeHead(302, { location: `http://localhost:${(fake.address() as AddressInfo).port}/internal` })
        .end();
    } else res.writeHead(404).end("secret-internal-body");
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterAll(async () => {
  await idp.stop();
  await new Promise((r) => fake.close(r));
  setTestEnv({ SSO_ALLOW_INSECURE_ISSUER: "0", ALLOW_PRIVATE_NETWORK_URLS: undefined });
});

async function issuerMessage(issuer: string, guard = {}): Promise<string> {
  const error = await verifyIssuer(issuer, guard).catch((e) => e);
  expect(error, issuer).toBeInstanceOf(AppError);
  expect(error.status).toBe(422);
  return error.fieldErrors.issuer[0];
}

// Stands in for a public IdP: the test server's loopback address counts as public.
const asPublic = { classify: (a: string) => (a === "127.0.0.1" ? "public" : classifyAddress(a)) } as const;

describe("verifyIssuer", () => {
  it("accepts a real OIDC provider (private addresses allowed by the operator setting)", async () => {
    await expect(verifyIssuer(idp.issuer)).resolves.toBe(idp.issuer);
  });

  it("refuses internal addresses in every spelling when the operator setting is off", async () => {
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "0" });
    try {
      for (const issuer of [
        idp.issuer,
        "http://127.0.0.1:5432",
        "http://[::1]",
        "http://2130706433",
        "http://0x7f.1",
        "http://localhost:8080",
        "http://169.254.169.254",
      ]) {
        expect(await issuerMessage(issuer)).toBe(UNREACHABLE_MESSAGE);
      }
    } finally {
      setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    }
  });

  it("says the same about a non-public server whatever it answers, and echoes nothing fetched", async () => {
    const messages = await Promise.all(
      [`${fakeUrl}/missing`, `${fakeUrl}/liar`, "http://127.0.0.1:1"].map((i) => issuerMessage(i)),
    );
    expect(new Set(messages)).toEqual(new Set([UNREACHABLE_MESSAGE]));
  });

  it("gives a public IdP's admin a hint, without echoing what the server sent", async () => {
    const missing = await issuerMessage(`${fakeUrl}/missing`, asPublic);
    expect(missing).toMatch(/not an OpenID issuer/);
    expect(missing).not.toMatch(/404|secret-internal-body/);
    const liar = await issuerMessage(`${fakeUrl}/liar`, asPublic);
    expect(liar).toMatch(/names a different issuer/);
    expect(liar).not.toContain("someone-else");
  });

  it("refuses a discovery redirect into an internal address and documents naming internal endpoints", async () => {
    const firstHopPublic = {
      classify: (a: string, hop: number) => (hop === 0 ? "public" : classifyAddress(a)),
      allowPrivate: false,
    } as const;
    const before = hits.filter((h) => h === "/internal").length;
    expect(await issuerMessage(`${fakeUrl}/hop`, firstHopPublic)).toBe(UNREACHABLE_MESSAGE);
    expect(hits.filter((h) => h === "/internal").length).toBe(before);
    expect(await issuerMessage(`${fakeUrl}/inside`, { ...asPublic, allowPrivate: false })).toBe(
      UNREACHABLE_MESSAGE,
    );
  });
});
