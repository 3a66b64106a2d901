import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type AiEnv, aiEnvShape } from "@/lib/ai/env-schema";
import { isDockerImageRef } from "@/lib/sandbox/image-ref";

/**
 * The one module that reads `process.env`. Everything is optional in development so a fresh
 * laptop runs with no configuration; production refuses to start without a secret.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXT_PHASE: optionalString,
  DATABASE_URL: optionalString.pipe(z.url({ message: "DATABASE_URL must be a postgres:// URL" }).optional()),
  PGLITE_DIR: optionalString,
  AUTH_SECRET: optionalString.pipe(
    z
      .string()
      .min(32, "AUTH_SECRET must be at least 32 characters (try `openssl rand -base64 32`)")
      .optional(),
  ),
  ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, "ENCRYPTION_KEY must be 32 bytes, base64 (`openssl rand -base64 32`)")
      .optional(),
  ),
  APP_URL: optionalString.pipe(
    z.url({ message: "APP_URL must be a URL like https://app.example.com" }).optional(),
  ),
  // Behind a reverse proxy: X-Forwarded-Host/-Proto build the app's URL (as Auth.js does) and the
  // last X-Forwarded-For entry is the client IP (rate limits, audit).
  AUTH_TRUST_HOST: z
    .enum(["0", "1", "true", "false"])
    .optional()
    .transform((v) => v === "1" || v === "true"),
  // Set by `next dev` / `next start` to the port the server listens on.
  PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, "PORT must be a port number")
      .optional(),
  ),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  SMTP_URL: optionalString.pipe(
    z.url({ message: "SMTP_URL must look like smtp://user:pass@host:587" }).optional(),
  ),
  MAIL_FROM: optionalString.default("DafnckMachine <no-reply@localhost>"),
  // Rate-limit counters in Redis (shared by every server); unset → the database (lib/rate-limit).
  REDIS_URL: optionalString.pipe(z.url({ message: "REDIS_URL must look like redis://host:6379" }).optional()),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Allows http:// OIDC issuers (the local test IdP); never set this in production.
  SSO_ALLOW_INSECURE_ISSUER: z
    .enum(["0", "1", "true", "false"])
    .optional()
    .transform((v) => v === "1" || v === "true"),
  // Lets org-supplied URLs (IdP, model server…) reach loopback and private LAN addresses, for
  // self-hosted deployments; link-local (cloud metadata) and other special ranges stay refused.
  ALLOW_PRIVATE_NETWORK_URLS: z
    .enum(["0", "1", "true", "false"])
    .optional()
    .transform((v) => v === "1" || v === "true"),
  // DNS servers (host or host:port, comma-separated) for SSO domain verification; the system's when unset.
  SSO_DNS_SERVERS: optionalString,
  // Bare git repositories of projects (a shared volume in production); default `.data/repos`.
  REPOS_DIR: optionalString,
  // Working copies (caches recreated from the repositories); default `.data/worktrees`.
  WORKTREES_DIR: optionalString,
  // Lets project imports clone file:// URLs and local paths (tests, single-user installs). They
  // read the server's disk, so never set this on a shared instance.
  REPOS_ALLOW_LOCAL_REMOTES: z
    .enum(["0", "1", "true", "false"])
    .optional()
    .transform((v) => v === "1" || v === "true"),
  // The GitHub REST API for pull requests (GitHub Enterprise: https://<host>/api/v3); its host
  // also marks remotes as GitHub ones. Default https://api.github.com.
  GITHUB_API_URL: optionalString.pipe(
    z.url({ message: "GITHUB_API_URL must be a URL like https://api.github.com" }).optional(),
  ),
  // Background functions: the embedded engine (default) or Inngest (Cloud, self-hosted, dev server).
  ENGINE: optionalString.pipe(
    z.enum(["embedded", "inngest"], { message: 'ENGINE must be "embedded" or "inngest"' }).optional(),
  ),
  // The embedded engine's worker id, stable across restarts (default: host + app folder + PORT).
  ENGINE_WORKER_ID: optionalString,
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^signkey-\w+-[0-9a-f]+$/i, "INNGEST_SIGNING_KEY must look like signkey-prod-<hex>")
      .optional(),
  ),
  INNGEST_BASE_URL: optionalString.pipe(z.url({ message: "INNGEST_BASE_URL must be a URL" }).optional()),
  // "1" or the dev server's URL: use a local Inngest dev server.
  INNGEST_DEV: optionalString,
  // Comma-separated emails of the instance's operators (the /admin pages).
  INSTANCE_ADMIN_EMAILS: optionalString,
  // Where agents' commands and checks run (lib/sandbox): auto = bubblewrap if it works here, else
  // Docker if an engine answers, else none (execution refused, runs go on without it).
  SANDBOX_DRIVER: optionalString.pipe(
    z
      .enum(["auto", "bubblewrap", "docker", "none"], {
        message: 'SANDBOX_DRIVER must be "auto", "bubblewrap", "docker" or "none"',
      })
      .default("auto"),
  ),
  // The docker driver's image when a project names none (default: a Node + Python image).
  SANDBOX_DOCKER_IMAGE: optionalString.pipe(
    z
      .string()
      .refine(isDockerImageRef, "SANDBOX_DOCKER_IMAGE must be an image reference like node:20-bookworm")
      .optional(),
  ),
  // Runs agents' commands directly on this server, with no sandbox at all. Only for a single-user
  // install; every run page says so while it is set.
  DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: optionalString
    .pipe(
      z
        .enum(["0", "1", "true", "false"], {
          message: 'DANGEROUSLY_RUN_AGENT_CODE_ON_HOST must be "1", "true", "0" or "false"',
        })
        .optional(),
    )
    .transform((v) => v === "1" || v === "true"),
  // The docker CLI's daemon address and configuration (passed to the CLI only, never to a container).
  DOCKER_HOST: optionalString,
  DOCKER_CONTEXT: optionalString,
  DOCKER_CONFIG: optionalString,
  // Per-organization knowledge quota: bytes of stored uploads (default 1 GiB) and documents (10,000).
  KNOWLEDGE_MAX_BYTES_PER_ORG: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ message: "KNOWLEDGE_MAX_BYTES_PER_ORG must be a number of bytes" })
      .int("KNOWLEDGE_MAX_BYTES_PER_ORG must be a whole number of bytes")
      .positive("KNOWLEDGE_MAX_BYTES_PER_ORG must be positive")
      .default(1024 ** 3),
  ),
  KNOWLEDGE_MAX_DOCUMENTS_PER_ORG: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ message: "KNOWLEDGE_MAX_DOCUMENTS_PER_ORG must be a number" })
      .int("KNOWLEDGE_MAX_DOCUMENTS_PER_ORG must be a whole number")
      .positive("KNOWLEDGE_MAX_DOCUMENTS_PER_ORG must be positive")
      .default(10_000),
  ),
  // Model providers for the agent swarm (lib/ai/env-schema.ts); none set → the scripted demo model.
  ...aiEnvShape,
});

export type Env = z.infer<typeof schema>;

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`).join("\n");
}

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment configuration:\n${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}

const globalForEnv = globalThis as unknown as { __dmEnv?: Env; __dmSecretNoticeShown?: boolean };

export function env(): Env {
  globalForEnv.__dmEnv ??= load();
  return globalForEnv.__dmEnv;
}

export const isProduction = () => env().NODE_ENV === "production";
export const isBuildPhase = () => env().NEXT_PHASE === "phase-production-build";
export const isNodeRuntime = () => process.env.NEXT_RUNTIME === "nodejs" || !process.env.NEXT_RUNTIME;

/** Where the embedded database and generated development secrets live. */
export function dataDir(): string {
  const dir = env().PGLITE_DIR;
  // An in-memory database (tests) has no folder; without this the parent of "memory://" is the repo root.
  if (!dir || dir.startsWith("memory://")) return path.join(process.cwd(), ".data");
  return path.resolve(dir, "..");
}

export function pgliteDir(): string {
  return path.resolve(env().PGLITE_DIR ?? path.join(process.cwd(), ".data", "pglite"));
}

/**
 * AUTH_SECRET signs session tokens. Development generates one into a git-ignored file so a fresh
 * checkout works; production must be given one.
 */
export function authSecret(): string {
  const e = env();
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production" && !isBuildPhase()) {
    throw new Error(
      "AUTH_SECRET is not set. Production needs a secret of at least 32 characters: " +
        "set AUTH_SECRET (generate one with `openssl rand -base64 32`).",
    );
  }
  const dir = dataDir();
  const file = path.join(dir, "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  if (!globalForEnv.__dmSecretNoticeShown) {
    globalForEnv.__dmSecretNoticeShown = true;
    console.info(`[env] AUTH_SECRET is not set; using the development secret in ${file}`);
  }
  return readFileSync(file, "utf8").trim();
}

/** Checked once when the server starts, so a misconfigured production deploy fails fast. */
export function assertStartupEnv(): void {
  env();
  if (isProduction()) authSecret();
}

export function oauthProviders() {
  const e = env();
  return {
    github:
      e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET
        ? { clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }
        : null,
    google:
      e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET
        ? { clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET }
        : null,
  };
}

/** DNS servers that SSO domain verification asks (lib/sso/resolve-txt.ts); null = the system's. */
export function ssoDnsServers(): string[] | null {
  const servers = (env().SSO_DNS_SERVERS ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  return servers.length > 0 ? servers : null;
}

/** Which executor runs background functions: Inngest when it is configured, else the embedded engine. */
export function engineMode(): "embedded" | "inngest" {
  const e = env();
  if (e.ENGINE) return e.ENGINE;
  const dev = e.INNGEST_DEV && e.INNGEST_DEV !== "0" && e.INNGEST_DEV !== "false";
  return e.INNGEST_SIGNING_KEY || e.INNGEST_BASE_URL || dev ? "inngest" : "embedded";
}

/** Inngest client settings for ENGINE=inngest (undefined values fall back to the SDK's defaults). */
export function inngestSettings() {
  const e = env();
  const devUrl = e.INNGEST_DEV && /^https?:\/\//.test(e.INNGEST_DEV) ? e.INNGEST_DEV : undefined;
  const isDev =
    e.INNGEST_DEV === undefined ? undefined : devUrl !== undefined || ["1", "true"].includes(e.INNGEST_DEV);
  return {
    eventKey: e.INNGEST_EVENT_KEY,
    signingKey: e.INNGEST_SIGNING_KEY,
    baseUrl: e.INNGEST_BASE_URL ?? devUrl,
    isDev,
  };
}

/**
 * The key the embedded engine signs its calls to the serve handler with (the SDK verifies them as
 * it verifies Inngest's). INNGEST_SIGNING_KEY when set; otherwise derived from AUTH_SECRET (the
 * generated one in development), so no extra secret has to be managed.
 */
export function engineSigningKey(): string {
  const e = env();
  if (e.INNGEST_SIGNING_KEY) return e.INNGEST_SIGNING_KEY;
  return `signkey-local-${createHmac("sha256", authSecret()).update("dafnckmachine/engine-signing-key").digest("hex")}`;
}

/** Lower-cased emails allowed into the instance operator pages. */
export function instanceAdminEmails(): string[] {
  return (env().INSTANCE_ADMIN_EMAILS ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
}

/** The instance's model provider settings (see lib/ai/providers.ts `providerConfigFromEnv`). */
export function aiEnv(): AiEnv {
  const e = env();
  return Object.fromEntries(Object.keys(aiEnvShape).map((k) => [k, e[k as keyof AiEnv]])) as AiEnv;
}

/** The GitHub REST API base URL (pull requests) and the git host that goes with it. */
export function githubApi(): { baseUrl: string; gitHost: string } {
  const baseUrl = (env().GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, "");
  const host = new URL(baseUrl).hostname.toLowerCase();
  return { baseUrl, gitHost: host === "api.github.com" ? "github.com" : host };
}

/** The sandbox configuration (lib/sandbox/resolve-sandbox.ts). */
export function sandboxSettings(): {
  driver: "auto" | "bubblewrap" | "docker" | "none";
  dockerImage: string | undefined;
  runOnHost: boolean;
} {
  const e = env();
  return {
    driver: e.SANDBOX_DRIVER,
    dockerImage: e.SANDBOX_DOCKER_IMAGE,
    runOnHost: e.DANGEROUSLY_RUN_AGENT_CODE_ON_HOST,
  };
}

/** What the docker CLI needs to find its daemon; the sandbox's docker driver passes only these. */
export function dockerClientEnv(): Record<string, string> {
  const e = env();
  const out: Record<string, string> = {};
  if (e.DOCKER_HOST) out.DOCKER_HOST = e.DOCKER_HOST;
  if (e.DOCKER_CONTEXT) out.DOCKER_CONTEXT = e.DOCKER_CONTEXT;
  if (e.DOCKER_CONFIG) out.DOCKER_CONFIG = e.DOCKER_CONFIG;
  return out;
}
