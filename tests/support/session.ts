import type { SessionUser } from "@/lib/auth/session";

export const actingAs: { current: SessionUser | null } = { current: null };

export function actAs(user: SessionUser | null) {
  actingAs.current = user;
}
