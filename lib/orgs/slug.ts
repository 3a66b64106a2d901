/**
 * Organization slugs are the first URL segment (`/<slug>/...`), so they must not shadow a
 * top-level route or a public file. Pure functions: the create form imports this for suggestions.
 */
export const SLUG_MIN = 2;
export const SLUG_MAX = 48;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "_next",
  "about",
  "account",
  "admin",
  "api",
  "app",
  "assets",
  "auth",
  "billing",
  "blog",
  "dashboard",
  "docs",
  "favicon.ico",
  "forgot-password",
  "help",
  "icon.svg",
  "invite",
  "invitations",
  "login",
  "logout",
  "new",
  "org",
  "orgs",
  "pricing",
  "privacy",
  "public",
  "reset-password",
  "robots.txt",
  "settings",
  "sign-in",
  "sign-out",
  "sign-up",
  "signin",
  "signout",
  "signup",
  "sitemap.xml",
  "sso",
  "static",
  "status",
  "support",
  "terms",
  "verify-email",
  "www",
]);

export function isReservedSlug(slug: string): boolean {
  return RESERVED_SLUGS.has(slug.toLowerCase());
}

/** "Acme Labs, Inc." → "acme-labs-inc"; reserved or too-short results get an "-org" suffix. */
export function suggestSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
  if (base.length >= SLUG_MIN && !isReservedSlug(base)) return base;
  return `${base || "org"}-org`.slice(0, SLUG_MAX);
}

/** A variant for when the suggestion is taken: "acme" → "acme-x7k2". */
export function slugWithSuffix(slug: string): string {
  const suffix = Math.random().toString(36).slice(2, 6).padEnd(4, "0");
  return `${slug.slice(0, SLUG_MAX - 5).replace(/-+$/, "")}-${suffix}`;
}
