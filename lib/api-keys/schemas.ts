import { z } from "zod";
import { PERMISSIONS } from "@/lib/auth/permissions";

export const API_KEY_MAX_DAYS = 366;

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(80, "At most 80 characters."),
  scopes: z
    .array(z.enum(PERMISSIONS, { message: "Unknown scope." }))
    .min(1, "Choose at least one scope.")
    .max(PERMISSIONS.length)
    .transform((s) => [...new Set(s)]),
  /** Days until it expires; omitted or null: it does not expire. */
  expiresInDays: z
    .number({ message: "A number of days." })
    .int("Whole days.")
    .min(1, "At least one day.")
    .max(API_KEY_MAX_DAYS, `At most ${API_KEY_MAX_DAYS} days.`)
    .nullable()
    .optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const apiKeyIdInput = z.object({ id: z.uuid("Unknown key.") });

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
};
