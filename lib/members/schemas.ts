import { z } from "zod";
import { ROLES } from "@/db/schema";
import { notFound } from "@/lib/errors";

export const roleSchema = z.enum(ROLES, { error: "Choose a role: owner, admin, member or viewer." });

/** Ids come from URLs and forms; anything that is not a uuid cannot name a member. */
export const memberIdSchema = z.uuid({ error: "Member not found." });

/** An id from a URL segment; one that cannot be an id names no member (404, not a 500 from a cast). */
export function memberId(value: string | undefined): string {
  const parsed = memberIdSchema.safeParse(value);
  if (!parsed.success) throw notFound("Member not found.");
  return parsed.data;
}

export const changeMemberRoleSchema = z.object({ memberId: memberIdSchema, role: roleSchema });
export type ChangeMemberRoleInput = z.infer<typeof changeMemberRoleSchema>;

export const updateMemberBodySchema = z.object({ role: roleSchema });

export const removeMemberSchema = z.object({ memberId: memberIdSchema });
export type RemoveMemberInput = z.infer<typeof removeMemberSchema>;

export const leaveOrganizationSchema = z.object({});
