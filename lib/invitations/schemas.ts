import { z } from "zod";
import { ROLES } from "@/db/schema";
import { notFound } from "@/lib/errors";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const inviteEmailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "The email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const createInvitationSchema = z.object({
  email: inviteEmailSchema,
  role: z.enum(ROLES, { error: "Choose a role: owner, admin, member or viewer." }),
});
export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;

export const invitationIdSchema = z.object({ id: z.uuid({ error: "Invitation not found." }) });
export type InvitationIdInput = z.infer<typeof invitationIdSchema>;

/** An id from a URL segment; one that cannot be an id names no invitation (404, not a 500 from a cast). */
export function invitationId(value: string | undefined): string {
  const parsed = invitationIdSchema.shape.id.safeParse(value);
  if (!parsed.success) throw notFound("Invitation not found.");
  return parsed.data;
}

export const acceptInvitationSchema = z.object({
  token: z.string({ error: "The invitation link is not valid." }).min(1, "The invitation link is not valid."),
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationSchema>;
