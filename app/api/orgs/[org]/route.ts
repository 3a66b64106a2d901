import { orgRoute } from "@/lib/api/route";
import { permissionsOf } from "@/lib/auth/permissions";
import { deleteOrganization } from "@/lib/orgs/delete-organization";
import { deleteOrganizationSchema, updateOrganizationSchema } from "@/lib/orgs/schemas";
import { updateOrganization } from "@/lib/orgs/update-organization";

export const GET = orgRoute({ permission: "org.read" }, async ({ ctx }) => ({
  organization: { ...ctx.org, role: ctx.role, permissions: permissionsOf(ctx.role) },
}));

/** Rename and/or change the URL slug: `{ "name"?: string, "slug"?: string }`. */
export const PATCH = orgRoute(
  { permission: "org.manage", body: updateOrganizationSchema },
  async ({ ctx, body }) => ({
    organization: await updateOrganization(ctx, body),
  }),
);

/** Deletes the organization; the body must repeat its slug: `{ "confirm": "<slug>" }`. */
export const DELETE = orgRoute(
  { permission: "org.delete", body: deleteOrganizationSchema },
  async ({ ctx, body }) => {
    await deleteOrganization(ctx, body);
  },
);
