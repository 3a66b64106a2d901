import type { RemoteProvider } from "@/db/schema/repositories";

export type ProjectCommands = {
  testCommand: string | null;
  buildCommand: string | null;
  installCommand: string | null;
  lintCommand: string | null;
};

/** A project's repository settings as the API and the settings page show them (never the token). */
export type RepositorySettings = {
  defaultBranch: string;
  /** Branches of the origin (at most BRANCH_LIST_MAX), default first. */
  branches: string[];
  commands: ProjectCommands;
  /** What the default branch's files suggest, shown as hints beside the commands. */
  detected: ProjectCommands;
  /** The docker sandbox's image for this project; null: the instance's default. */
  sandboxImage: string | null;
  /** The instance's default image (SANDBOX_DOCKER_IMAGE), shown beside the field; null: the sandbox's own. */
  defaultSandboxImage: string | null;
  remote: { url: string; provider: RemoteProvider; repo: string | null; hasToken: boolean } | null;
  updatedAt: string;
};

export type RemoteTestResult =
  | { ok: true; defaultBranch: string | null; branches: number }
  | { ok: false; reason: string };
