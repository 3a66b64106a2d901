import { userRoute } from "@/lib/api/route";
import { createOrganization } from "@/lib/orgs/create-organization";
import { listOrganizations } from "@/lib/orgs/list-organizations";
import { createOrganizationSchema } from "@/lib/orgs/schemas";
import { metaFromHeaders } from "@/lib/request-meta";

/** The signed-in user's organizations. */
export const GET = userRoute({}, async ({ user }) => ({ organizations: await listOrganizations(user.id) }));

/** Creates an organization owned by the signed-in user. */
export const POST = userRoute({ body: createOrganizationSchema }, async ({ req, user, body }) => {
  const organization = await createOrganization(user, metaFromHeaders(req.headers), body);
  return Response.json({ organization }, { status: 201 });
});
