import { orgRoute } from "@/lib/api/route";
import { connectRemote } from "@/lib/repos/settings/connect-remote";
import { disconnectRemote } from "@/lib/repos/settings/disconnect-remote";
import { connectRemoteSchema } from "@/lib/repos/settings/schemas";

/** Connects `{ url, token?, provider? }` after trying it; the token is stored encrypted, never returned. */
export const POST = orgRoute(
  { permission: "projects.write", body: connectRemoteSchema },
  async ({ ctx, params, body }) => ({ repository: await connectRemote(ctx, params.project ?? "", body) }),
);

/** Disconnects the remote and wipes its token. */
export const DELETE = orgRoute({ permission: "projects.write" }, async ({ ctx, params }) => ({
  repository: await disconnectRemote(ctx, params.project ?? ""),
}));
