import { z } from "zod";
import { ARCHIVE_FORMATS } from "./archive-formats";
import { MAX_PATH_LENGTH, MAX_REF_LENGTH } from "./input";

// The shape only: what a ref or a path may be is decided by parseRef / parseRepoPath (400s with
// a message that says why), so the same rules hold for pages and routes.
const ref = z
  .string()
  .max(MAX_REF_LENGTH * 4)
  .optional();
const path = z
  .string()
  .max(MAX_PATH_LENGTH * 2)
  .optional();

export const treeQuerySchema = z.object({ ref, path });
export const blobQuerySchema = z.object({ ref, path, raw: z.enum(["0", "1"]).optional() });
export const commitsQuerySchema = z.object({
  ref,
  path,
  cursor: z.string().max(16).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const archiveQuerySchema = z.object({ ref, format: z.enum(ARCHIVE_FORMATS).default("zip") });

/**
 * `Content-Disposition: attachment` for a name from a repository: an ASCII fallback with quotes,
 * backslashes and control characters replaced, and the exact name in RFC 5987 form.
 */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_").slice(0, 150) || "download";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).slice(0, 600)}`;
}
