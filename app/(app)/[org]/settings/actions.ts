"use server";

import { orgAction } from "@/lib/api/action";
import { deleteOrganization } from "@/lib/orgs/delete-organization";
import { deleteOrganizationSchema, updateOrganizationSchema } from "@/lib/orgs/schemas";
import { updateOrganization } from "@/lib/orgs/update-organization";

export const updateOrganizationAction = orgAction(
  { permission: "org.manage", schema: updateOrganizationSchema },
  (input, ctx) => updateOrganization(ctx, input),
);

export const deleteOrganizationAction = orgAction(
  { permission: "org.delete", schema: deleteOrganizationSchema },
  (input, ctx) => deleteOrganization(ctx, input),
);
