import { orgRoute } from "@/lib/api/route";
import { listMembers } from "@/lib/members/list-members";

export const GET = orgRoute({ permission: "members.read" }, async ({ ctx }) => ({
  members: await listMembers(ctx),
}));
