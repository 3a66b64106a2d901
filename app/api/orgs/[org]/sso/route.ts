import { orgRoute } from "@/lib/api/route";
import { deleteSsoConnection } from "@/lib/sso/delete-connection";
import { getSsoConnection, type SsoConnectionView } from "@/lib/sso/get-connection";
import { ssoRedirectUri } from "@/lib/sso/provider-id";
import { ssoConnectionInputSchema } from "@/lib/sso/schemas";
import { upsertSsoConnection } from "@/lib/sso/upsert-connection";

function withRedirectUri(req: Request, connection: SsoConnectionView | null) {
  return {
    connection,
    redirectUri: connection ? ssoRedirectUri(new URL(req.url).origin, connection.id) : null,
  };
}

export const GET = orgRoute({ permission: "sso.manage" }, async ({ req, ctx }) =>
  withRedirectUri(req, await getSsoConnection(ctx)),
);

export const PUT = orgRoute(
  { permission: "sso.manage", body: ssoConnectionInputSchema },
  async ({ req, ctx, body }) => withRedirectUri(req, await upsertSsoConnection(ctx, body)),
);

export const DELETE = orgRoute({ permission: "sso.manage" }, async ({ ctx }) => {
  await deleteSsoConnection(ctx);
});
