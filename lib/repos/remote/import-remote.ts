import "server-only";
import { randomUUID } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Tx } from "@/db";
import { projectRepositories, type RemoteProvider } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { assertGitAvailable, git, gitBare } from "../git";
import { commitFilesToBare, exists, type InitialFile } from "../init-origin";
import { originPath, reposDir } from "../paths";
import { detectCommandsFromOrigin } from "../settings/detect-commands-from-origin";
import { identifyRemote } from "./provider";
import { fetchAll, lsRemote, TooLargeError } from "./remote-git";
import { vetRemoteUrl } from "./vet-remote-url";

export type ImportInput = { url: string; token?: string; provider?: RemoteProvider };

/** Imports larger than this are refused after the fetch (git cannot tell the size beforehand). */
export const IMPORT_MAX_BYTES = 1024 * 1024 * 1024;

export type PreparedImport = {
  defaultBranch: string;
  /** Moves the fetched repository into the project's origin and writes its repository row. */
  install: (tx: Tx, orgId: string, projectId: string) => Promise<void>;
  /** Removes whatever this import left on disk (after a failure or a rolled-back transaction). */
  discard: () => Promise<void>;
};

const field = "import.url";

const fieldError = (key: string, message: string) =>
  new AppError("validation", "Some fields are invalid.", { fieldErrors: { [key]: [message] } });

/**
 * Fetches a remote repository into a temporary bare repository beside the origins, before the
 * project exists: the URL is vetted, the default branch comes from the remote's HEAD, and the
 * project's commands are detected from it. Nothing here holds a database transaction open during
 * the network transfer. An empty remote gets the README commit a new project gets.
 */
export async function prepareImport(
  orgId: string,
  input: ImportInput,
  readme: InitialFile,
): Promise<PreparedImport> {
  await assertGitAvailable();
  const remote = await vetRemoteUrl(input.url, { field });
  const identity = identifyRemote(remote, input.provider, "import.provider");
  const token = input.token || null;
  const heads = await lsRemote(remote, token, { field });
  const defaultBranch = heads.defaultBranch ?? "main";
  const check = await git(["check-ref-format", "--branch", defaultBranch], {
    cwd: os.tmpdir(),
    okCodes: [1, 128],
  });
  if (check.code !== 0) throw fieldError(field, "The remote's default branch has a name git refuses.");

  const parent = path.join(reposDir(), orgId);
  await mkdir(parent, { recursive: true });
  const tmp = path.join(parent, `.import-${randomUUID()}.tmp`);
  let placed: string | null = null;
  const discard = async () => {
    await rm(tmp, { recursive: true, force: true });
    if (placed) await rm(placed, { recursive: true, force: true });
  };
  try {
    await git(["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`, tmp], { cwd: parent });
    if (heads.heads.size > 0) {
      await fetchAll(tmp, remote, token, { field, maxBytes: IMPORT_MAX_BYTES }).catch((error: unknown) => {
        if (error instanceof TooLargeError) throw fieldError(field, error.message);
        throw error;
      });
      await gitBare(tmp, ["symbolic-ref", "HEAD", `refs/heads/${defaultBranch}`]);
    } else {
      await commitFilesToBare(tmp, defaultBranch, [readme], "Initial commit");
    }
    const commands = await detectCommandsFromOrigin(tmp, defaultBranch);
    const tokenEncrypted = token ? encryptSecret(token) : null;
    return {
      defaultBranch,
      discard,
      install: async (tx, org, projectId) => {
        const origin = originPath(org, projectId);
        if (await exists(origin)) throw new Error("origin of a new project already exists");
        await rename(tmp, origin);
        placed = origin;
        await tx.insert(projectRepositories).values({
          orgId: org,
          projectId,
          defaultBranch,
          remoteUrl: remote.url,
          remoteProvider: identity.provider,
          remoteRepo: identity.repo,
          remoteTokenEncrypted: tokenEncrypted,
          ...commands,
        });
      },
    };
  } catch (error) {
    await discard();
    throw error;
  }
}
