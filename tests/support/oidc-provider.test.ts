import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type TestOidcProvider } from "./oidc-provider";

describe("test OIDC provider", () => {
  let idp: TestOidcProvider;
  beforeAll(async () => {
    idp = await startOidcProvider({
      port: 0,
      clientId: "dm-test",
      clientSecret: "dm-test-secret",
      redirectUris: ["http://localhost:3000/api/auth/callback/sso-test"],
    });
  });
  afterAll(() => idp.stop());

  it("serves a discovery document for its issuer", async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(idp.issuer);
    expect(doc.authorization_endpoint).toBe(`${idp.issuer}/auth`);
    expect(doc.code_challenge_methods_supported).toContain("S256");
    expect(doc.claims_supported).toEqual(expect.arrayContaining(["email", "name"]));
  });
});
