import { z } from "zod";
import type { RemoteProvider } from "@/db/schema/repositories";
import { DOCKER_IMAGE_MAX, DOCKER_IMAGE_MESSAGE, isDockerImageRef } from "@/lib/sandbox/image-ref";

/** Limits shared by the API, the server actions and the form hints. */
export const REPOSITORY_LIMITS = {
  url: 2000,
  token: 1000,
  command: 2000,
  branch: 200,
  image: DOCKER_IMAGE_MAX,
} as const;

/** A token is sent as a header value: printable ASCII only, so none can start a header of its own. */
export const TOKEN_PATTERN = /^[\x21-\x7e]{1,1000}$/;

// Spelled out rather than imported, so client forms that use these schemas pull in no database code.
const REMOTE_PROVIDERS = ["git", "github"] as const satisfies readonly RemoteProvider[];

/** Empty form fields mean "not given". */
const blankAsMissing = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const remoteUrl = z
  .string({ error: (i) => (i.input === undefined ? "Enter the repository's URL." : "The URL must be text.") })
  .trim()
  .min(1, "Enter the repository's URL.")
  .max(REPOSITORY_LIMITS.url, `The URL must be at most ${REPOSITORY_LIMITS.url} characters.`);

const token = blankAsMissing(
  z
    .string({ error: "The token must be text." })
    .trim()
    .max(REPOSITORY_LIMITS.token, `The token must be at most ${REPOSITORY_LIMITS.token} characters.`)
    .regex(TOKEN_PATTERN, "The token must be printable characters without spaces."),
);

const provider = blankAsMissing(z.enum(REMOTE_PROVIDERS, { error: "The provider must be git or github." }));

/** The remote a project is imported from (project creation). */
export const importRemoteSchema = z.object({ url: remoteUrl, token, provider });
export type ImportRemoteInput = z.infer<typeof importRemoteSchema>;

export const connectRemoteSchema = z.object({ url: remoteUrl, token, provider });
export type ConnectRemoteInput = z.infer<typeof connectRemoteSchema>;

/** Test the stored remote (no body fields) or one about to be connected. */
export const testRemoteSchema = z.object({ url: blankAsMissing(remoteUrl), token, provider });
export type TestRemoteInput = z.infer<typeof testRemoteSchema>;

const command = (label: string) =>
  z
    .string({ error: `The ${label} command must be text.` })
    .overwrite((s) => s.trim())
    .max(
      REPOSITORY_LIMITS.command,
      `The ${label} command must be at most ${REPOSITORY_LIMITS.command} characters.`,
    )
    .refine((s) => !/[\r\n]/.test(s), `The ${label} command must be one line.`)
    .refine((s) => !s.includes("\u0000"), `The ${label} command must not contain a NUL character.`)
    // An empty command clears it (null: nothing to run).
    .transform((s) => (s === "" ? null : s))
    .nullable()
    .optional();

const updateFields = z.object({
  defaultBranch: z
    .string({ error: "The default branch must be text." })
    .trim()
    .min(1, "Choose a default branch.")
    .max(REPOSITORY_LIMITS.branch, `The branch name must be at most ${REPOSITORY_LIMITS.branch} characters.`)
    .optional(),
  testCommand: command("test"),
  buildCommand: command("build"),
  installCommand: command("install"),
  lintCommand: command("lint"),
  /** The docker sandbox's image for this project; empty or null: the instance's default. */
  sandboxImage: z
    .string({ error: "The sandbox image must be text." })
    .overwrite((s) => s.trim())
    .max(REPOSITORY_LIMITS.image, `The sandbox image must be at most ${REPOSITORY_LIMITS.image} characters.`)
    .refine((s) => s === "" || isDockerImageRef(s), DOCKER_IMAGE_MESSAGE)
    .transform((s) => (s === "" ? null : s))
    .nullable()
    .optional(),
});
const hasAChange = (v: z.infer<typeof updateFields>) => Object.values(v).some((x) => x !== undefined);
const nothingToChange =
  "Send at least one of defaultBranch, testCommand, buildCommand, installCommand, lintCommand or sandboxImage.";

export const updateRepositorySchema = updateFields.refine(hasAChange, nothingToChange);
export type UpdateRepositoryInput = z.infer<typeof updateRepositorySchema>;

/** Server actions name the project by slug. */
const projectRef = z.string({ error: "Enter a project." }).min(1, "Enter a project.");
export const updateRepositoryActionSchema = updateFields
  .extend({ project: projectRef })
  .refine(hasAChange, nothingToChange);
export const connectRemoteActionSchema = connectRemoteSchema.extend({ project: projectRef });
export const testRemoteActionSchema = testRemoteSchema.extend({ project: projectRef });
export const repositoryRefSchema = z.object({ project: projectRef });
