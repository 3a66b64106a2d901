import { orgRoute } from "@/lib/api/route";
import { verifySsoDomainSchema } from "@/lib/sso/schemas";
import { verifySsoDomain } from "@/lib/sso/verify-domain";

/** "Verify now" for one claimed domain: checks its TXT record and returns its status. */
export const POST = orgRoute(
  { permission: "sso.manage", body: verifySsoDomainSchema },
  async ({ ctx, body }) => ({ domain: await verifySsoDomain(ctx, body) }),
);
