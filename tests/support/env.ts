/** Sets environment variables for a test and drops lib/env's cached copy so the next read sees them. */
export function setTestEnv(vars: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
}
