/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its wasm from a file URL; bundling it breaks pages and actions.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "oidc-provider"],
  poweredByHeader: false,
};

export default nextConfig;
