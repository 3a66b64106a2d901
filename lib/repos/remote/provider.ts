import type { RemoteProvider } from "@/db/schema";
import { githubApi } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { VettedRemote } from "./vet-remote-url";

export type RemoteIdentity = { provider: RemoteProvider; repo: string | null };

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * GitHub when the host is github.com (or the GitHub Enterprise host of GITHUB_API_URL), with
 * `owner/name` from the path for pull requests; any other host is a plain git remote. A provider
 * the caller named wins over the guess, but "github" needs an owner/name path.
 */
export function identifyRemote(
  remote: VettedRemote,
  requested?: RemoteProvider,
  field = "provider",
): RemoteIdentity {
  const isGithubHost = remote.host !== null && remote.host === githubApi().gitHost;
  const provider: RemoteProvider = requested ?? (isGithubHost ? "github" : "git");
  if (provider === "git") return { provider, repo: null };
  const parts = remote.local
    ? []
    : new URL(remote.url).pathname.replace(/\/+$/, "").split("/").filter(Boolean);
  const owner = parts[0];
  const name = parts[1]?.replace(/\.git$/, "");
  if (parts.length !== 2 || !owner || !name || !NAME.test(owner) || !NAME.test(name)) {
    throw new AppError("validation", "Some fields are invalid.", {
      fieldErrors: { [field]: ["A GitHub remote's URL must look like https://github.com/owner/name.git."] },
    });
  }
  return { provider, repo: `${owner}/${name}` };
}
