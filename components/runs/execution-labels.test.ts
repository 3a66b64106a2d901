import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import RunsLayout from "@/app/(app)/[org]/projects/[project]/runs/layout";
import { NO_SANDBOX_RUN_NOTICE, NoSandboxNotice } from "@/components/checks/no-sandbox-notice";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import { setTestEnv } from "@/tests/support/env";
import { INSTALL_NETWORK_LABEL, InstallNetworkLabel } from "./install-network-label";
import { UNSANDBOXED_MESSAGE, UnsandboxedBanner } from "./unsandboxed-banner";

const html = (node: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(node);
const decode = (s: string) => s.replaceAll("&#x27;", "'").replaceAll("&amp;", "&");

afterEach(() => setTestEnv({ DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: undefined }));

describe("the run pages' execution labels", () => {
  it("every run page carries the unsandboxed banner exactly while the flag is set", () => {
    const page = () => decode(html(RunsLayout({ children: createElement("main", null, "run page") })));
    setTestEnv({ DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: "1" });
    const on = page();
    expect(on).toContain(UNSANDBOXED_MESSAGE);
    expect(on).toContain('role="alert"');
    expect(on).toContain("run page");
    // Not dismissible: no button of any kind.
    expect(on).not.toContain("<button");
    setTestEnv({ DANGEROUSLY_RUN_AGENT_CODE_ON_HOST: undefined });
    const off = page();
    expect(off).not.toContain("Unsandboxed");
    expect(off).toBe("<main>run page</main>");
  });

  it("the banner says what is set and for whom", () => {
    expect(UNSANDBOXED_MESSAGE).toBe(
      "Unsandboxed: agents' commands run directly on this server (DANGEROUSLY_RUN_AGENT_CODE_ON_HOST is set). Use only for a single-user install.",
    );
    expect(html(UnsandboxedBanner({ show: false }))).toBe("");
  });

  it("the no-sandbox notice uses the shared message and shows only when asked", () => {
    const on = decode(html(createElement(NoSandboxNotice, { show: true })));
    expect(on).toContain(NO_SANDBOX_MESSAGE);
    expect(on).toContain(NO_SANDBOX_RUN_NOTICE);
    expect(NO_SANDBOX_RUN_NOTICE).toBe(
      "Code execution needs bubblewrap or Docker — this run went on without running code; its checks are marked skipped.",
    );
    expect(html(createElement(NoSandboxNotice, { show: false }))).toBe("");
  });

  it("the install label shows only when the install step had network", () => {
    expect(html(createElement(InstallNetworkLabel, { on: true }))).toContain(INSTALL_NETWORK_LABEL);
    expect(INSTALL_NETWORK_LABEL).toBe("Install step with network: on");
    expect(html(createElement(InstallNetworkLabel, { on: false }))).toBe("");
  });
});
