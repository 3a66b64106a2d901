import type { Role } from "@/db/schema";
import type { Member } from "./list-members";

/** A member as client components see it (dates as ISO strings, as the JSON API sends them). */
export type MemberView = Omit<Member, "joinedAt"> & { joinedAt: string };

export function toMemberView(member: Member): MemberView {
  return { ...member, joinedAt: member.joinedAt.toISOString() };
}

export type RoleOption = { value: Role; label: string };

/** TanStack Query keys: the page hands its server-rendered list to the client under this key. */
export const memberKeys = {
  list: (org: string) => ["members", org] as const,
};
