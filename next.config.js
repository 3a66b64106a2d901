/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its wasm from a file URL; bundling it breaks pages and actions.
  // undici: the guarded fetch (lib/net) runs it as installed, as the tests do, rather than bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "oidc-provider", "undici"],
  poweredByHeader: false,
};

export default nextConfig;
