// Sent on every response, static files included. The Content-Security-Policy (a nonce per
// request) and HSTS (production over https only) are set in proxy.ts.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Full URLs (invitation and reset tokens are in paths and queries) never leave the origin.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  // For browsers without CSP frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its wasm from a file URL; bundling it breaks pages and actions.
  // undici: the guarded fetch (lib/net) runs it as installed, as the tests do, rather than bundled.
  // rate-limiter-flexible's Drizzle store imports drizzle-orm by a computed name at run time,
  // which only Node's own loader resolves.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@node-rs/argon2",
    "oidc-provider",
    "rate-limiter-flexible",
    "undici",
  ],
  poweredByHeader: false,
  // The dev server allows only localhost by default: opened at 127.0.0.1 (any port, the port is not
  // compared) its scripts were refused and no form worked. Server actions compare Origin with
  // Host, which agree for both names, so they need no allowedOrigins entry.
  allowedDevOrigins: ["127.0.0.1", "[::1]"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
