"use server";

import { orgAction } from "@/lib/api/action";
import { connectRemote } from "@/lib/repos/settings/connect-remote";
import { disconnectRemote } from "@/lib/repos/settings/disconnect-remote";
import {
  connectRemoteActionSchema,
  repositoryRefSchema,
  testRemoteActionSchema,
  updateRepositoryActionSchema,
} from "@/lib/repos/settings/schemas";
import { testRemote } from "@/lib/repos/settings/test-remote";
import { updateRepositorySettings } from "@/lib/repos/settings/update-repository-settings";

export const updateRepositoryAction = orgAction(
  { permission: "projects.write", schema: updateRepositoryActionSchema },
  ({ project, ...changes }, ctx) => updateRepositorySettings(ctx, project, changes),
);

export const connectRemoteAction = orgAction(
  { permission: "projects.write", schema: connectRemoteActionSchema },
  ({ project, ...remote }, ctx) => connectRemote(ctx, project, remote),
);

export const testRemoteAction = orgAction(
  { permission: "projects.write", schema: testRemoteActionSchema },
  ({ project, ...remote }, ctx) => testRemote(ctx, project, remote),
);

export const disconnectRemoteAction = orgAction(
  { permission: "projects.write", schema: repositoryRefSchema },
  ({ project }, ctx) => disconnectRemote(ctx, project),
);
