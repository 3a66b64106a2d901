import { Octokit } from "@octokit/rest";
import { githubApi } from "@/lib/env";
import { AppError } from "@/lib/errors";

export type PullRequestRef = { url: string; number: number; reused: boolean };

export type PullRequestInput = {
  token: string;
  /** "owner/name" */
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
};

/** GitHub caps a pull request body at 65,536 characters. */
const BODY_MAX = 65_000;

function client(token: string): Octokit {
  return new Octokit({ auth: token, baseUrl: githubApi().baseUrl, userAgent: "DafnckMachine" });
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

function alreadyExists(error: unknown): boolean {
  const data = (error as { response?: { data?: { errors?: { message?: string }[]; message?: string } } })
    .response?.data;
  const text = [data?.message, ...(data?.errors ?? []).map((e) => e.message)].join(" ");
  return /already exists/i.test(text);
}

/** What GitHub's refusal means for the user (never the response body or the token). */
function readable(error: unknown, repo: string): AppError {
  const status = statusOf(error);
  const message =
    status === 401
      ? "GitHub refused the token (401): connect the remote again with a valid token."
      : status === 403
        ? `The token may not open pull requests on ${repo} (403): it needs the "Pull requests: write" permission.`
        : status === 404
          ? `GitHub has no repository ${repo} that this token can see (404).`
          : status === 422
            ? "GitHub refused the pull request (422): check that the base branch exists on GitHub."
            : status
              ? `GitHub answered ${status} when opening the pull request.`
              : "GitHub could not be reached to open the pull request.";
  console.warn(`[repos] pull request on ${repo} failed: ${status ?? (error as Error)?.message}`);
  return new AppError("validation", message);
}

/**
 * Opens a pull request of `head` into `base` on GitHub through Octokit, or returns the open one
 * that already exists for that head (looked up first; a 422 "already exists" from a race is
 * looked up again), so publishing twice opens one pull request.
 */
export async function openPullRequest(input: PullRequestInput): Promise<PullRequestRef> {
  const [owner = "", repo = ""] = input.repo.split("/");
  const octokit = client(input.token);
  const findOpen = async () => {
    const { data } = await octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:${input.head}`,
      state: "open",
      per_page: 1,
    });
    const pr = data[0];
    return pr ? { url: pr.html_url, number: pr.number, reused: true } : null;
  };
  try {
    const existing = await findOpen();
    if (existing) return existing;
    const { data } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: input.head,
      base: input.base,
      title: input.title.replace(/\s+/g, " ").trim().slice(0, 250) || input.head,
      body: input.body.length > BODY_MAX ? `${input.body.slice(0, BODY_MAX)}\n\n…` : input.body,
    });
    return { url: data.html_url, number: data.number, reused: false };
  } catch (error) {
    if (statusOf(error) === 422 && alreadyExists(error)) {
      const existing = await findOpen().catch(() => null);
      if (existing) return existing;
    }
    throw readable(error, input.repo);
  }
}
