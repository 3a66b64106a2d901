/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its wasm from a file URL; bundling it breaks pages and actions.
  // rate-limiter-flexible's Drizzle store imports drizzle-orm by a computed name at run time,
  // which only Node's own loader resolves.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@node-rs/argon2",
    "oidc-provider",
    "rate-limiter-flexible",
  ],
  poweredByHeader: false,
};

export default nextConfig;
