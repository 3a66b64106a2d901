"use server";

import { userAction } from "@/lib/api/action";
import { createOrganization } from "@/lib/orgs/create-organization";
import { createOrganizationSchema } from "@/lib/orgs/schemas";

export const createOrganizationAction = userAction(createOrganizationSchema, (input, user, meta) =>
  createOrganization(user, meta, input),
);
