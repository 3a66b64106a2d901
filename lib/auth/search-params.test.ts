import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./search-params";

const APP = "http://localhost:3000";

describe("safeCallbackUrl", () => {
  it.each([
    ["/orgs", "/orgs"],
    ["/acme/projects?tab=runs#top", "/acme/projects?tab=runs#top"],
    ["/invite/abc-DEF_123", "/invite/abc-DEF_123"],
    [`${APP}/acme`, "/acme"],
    ["/a/../acme", "/acme"],
    // Percent-encoded characters stay encoded: the browser reads them as one path segment.
    ["/%09/evil.test/x", "/%09/evil.test/x"],
    ["/%2F%2Fevil.test", "/%2F%2Fevil.test"],
    ["/@evil.test", "/@evil.test"],
    ["/caf\u00e9", "/caf%C3%A9"],
  ])("keeps the same-origin %j as %j", (raw, expected) => {
    expect(safeCallbackUrl(raw, APP)).toBe(expected);
  });

  it.each([
    "//evil.test",
    "//evil.test/x",
    "///evil.test",
    "/\\evil.test",
    "\\\\evil.test",
    "/\t/evil.test/x", // what `?callbackUrl=/%09/evil.test/x` decodes to
    "/\n/evil.test/x",
    "/\r\n/evil.test",
    "/x\r\nSet-Cookie: a=b",
    "/\u0000/evil.test",
    "/\u007f",
    "\t//evil.test",
    " //evil.test",
    "/.//evil.test",
    "/a/../..//evil.test",
    "https://evil.test/x",
    "http://localhost:3000@evil.test/",
    "http://localhost:3001/orgs",
    "https://localhost:3000/orgs",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:a@evil.test",
    "",
  ])("refuses %j", (raw) => {
    expect(safeCallbackUrl(raw, APP)).toBe("/orgs");
  });

  it("refuses what is not a string and uses the given fallback", () => {
    expect(safeCallbackUrl(undefined, APP)).toBe("/orgs");
    expect(safeCallbackUrl(["/orgs"], APP)).toBe("/orgs");
    expect(safeCallbackUrl("//evil.test", APP, "/acme")).toBe("/acme");
  });

  it("compares with the app origin it is given", () => {
    expect(safeCallbackUrl("https://app.example.com/acme", "https://app.example.com")).toBe("/acme");
    expect(safeCallbackUrl("http://app.example.com/acme", "https://app.example.com")).toBe("/orgs");
  });
});
