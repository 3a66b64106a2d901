// Builds and starts the production server for the end-to-end tests, like a real deployment:
// Postgres when DATABASE_URL is set (migrated first), otherwise a fresh embedded PGlite folder.
// The server log is also written to .data/e2e/server.log: with no SMTP configured, emailed links
// (invitations, verification) are logged there, and the tests read them as a user would read mail.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import path from "node:path";

const port = process.argv[2] ?? "3100";
const root = path.resolve(import.meta.dirname, "../..");
const e2eDir = path.join(root, ".data", "e2e");
rmSync(e2eDir, { recursive: true, force: true });
mkdirSync(e2eDir, { recursive: true });

const env = {
  ...process.env,
  NODE_ENV: "production",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz",
  APP_URL: `http://localhost:${port}`,
  AUTH_URL: `http://localhost:${port}`,
  AUTH_TRUST_HOST: "true",
  SSO_ALLOW_INSECURE_ISSUER: "1",
  // The test IdP runs on loopback.
  ALLOW_PRIVATE_NETWORK_URLS: "1",
  // SSO domain verification asks the DNS server tests/e2e/sso.spec.ts runs (same port formula).
  SSO_DNS_SERVERS: process.env.SSO_DNS_SERVERS ?? `127.0.0.1:${Number(port) + 2000}`,
  INSTANCE_ADMIN_EMAILS: "operator@example.test",
  // Project repositories of this server, and local paths as remotes (tests/e2e/repos.spec.ts).
  REPOS_DIR: path.join(e2eDir, "repos"),
  WORKTREES_DIR: path.join(e2eDir, "worktrees"),
  REPOS_ALLOW_LOCAL_REMOTES: "1",
  // The scripted demo model streams slowly enough for the run tests to watch text arrive.
  DEMO_MODEL_DELAY_MS: process.env.DEMO_MODEL_DELAY_MS ?? "15",
};
if (!env.DATABASE_URL) env.PGLITE_DIR = path.join(e2eDir, "pglite");

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (env.DATABASE_URL) run("npx", ["tsx", "db/migrate.ts"]);
if (!process.env.E2E_SKIP_BUILD) run("npx", ["next", "build"]);

const log = createWriteStream(path.join(e2eDir, "server.log"));
const child = spawn("npx", ["next", "start", "-p", port], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk) => {
    log.write(chunk);
    process.stdout.write(chunk);
  });
}
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => process.exit(code ?? 0));
