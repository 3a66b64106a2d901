import { PROJECT_SLUG } from "@/lib/projects/schemas";

export type GitService = "git-upload-pack" | "git-receive-pack";

/** What a `/git/<org>/<project>.git/...` URL asks for; the smart HTTP protocol only. */
export type GitRequestTarget = {
  orgSlug: string;
  projectSlug: string;
  /** `advertise`: GET info/refs?service=…; `rpc`: POST …/git-upload-pack or …/git-receive-pack. */
  kind: "advertise" | "rpc";
  service: GitService;
};

export type GitPathResult =
  | { ok: true; target: GitRequestTarget }
  | { ok: false; status: 400 | 403 | 404 | 405; message: string };

const SERVICES: readonly string[] = ["git-upload-pack", "git-receive-pack"];
/** Org slugs are compared to the key's org, never used as a path; this only keeps junk out. */
const ORG_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * Reads the route's segments (`[org]`, `[...path]`) and the query. Nothing here reaches the
 * filesystem: the repository on disk is found from database ids (lib/repos/paths.ts originPath),
 * so `..`, encoded slashes or odd slugs simply fail to match and answer 404.
 */
export function parseGitPath(
  method: string,
  org: string,
  path: string[],
  query: URLSearchParams,
): GitPathResult {
  const notFound = { ok: false, status: 404, message: "Repository not found." } as const;
  if (!ORG_SLUG.test(org) || path.length < 2) return notFound;
  const [repo, ...rest] = path;
  const projectSlug = repo?.endsWith(".git") ? repo.slice(0, -4) : repo;
  if (!projectSlug || !PROJECT_SLUG.test(projectSlug)) return notFound;
  const tail = rest.join("/");
  const base = { orgSlug: org, projectSlug };
  if (tail === "info/refs") {
    if (method !== "GET") return { ok: false, status: 405, message: "Use GET for info/refs." };
    const service = query.get("service");
    if (service === null) {
      return {
        ok: false,
        status: 403,
        message: "Only git's smart HTTP protocol is served here; use a git client from this decade.",
      };
    }
    if (!SERVICES.includes(service)) return { ok: false, status: 400, message: "Unknown git service." };
    return { ok: true, target: { ...base, kind: "advertise", service: service as GitService } };
  }
  if (SERVICES.includes(tail)) {
    if (method !== "POST") return { ok: false, status: 405, message: `Use POST for ${tail}.` };
    return { ok: true, target: { ...base, kind: "rpc", service: tail as GitService } };
  }
  // HEAD, objects/…, info/packs and the rest of the dumb protocol, or anything else.
  return notFound;
}
