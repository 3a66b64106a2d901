import type * as React from "react";
import { UnsandboxedBanner } from "@/components/runs/unsandboxed-banner";
import { sandboxMode } from "@/lib/sandbox/mode";

/** The frame of every run page (the list, a run, a new run, a comparison): the unsandboxed warning. */
export default function RunsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <UnsandboxedBanner show={sandboxMode().unsafe} />
      {children}
    </>
  );
}
