export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = { msg: string; runId?: string; functionId?: string; [field: string]: unknown };
export type EngineLogger = (level: LogLevel, fields: LogFields) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line on stdout (stderr for errors), with the ids needed to follow a run. */
export function jsonLogger(minLevel: LogLevel = "info"): EngineLogger {
  return (level, fields) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const line = `${JSON.stringify({ time: new Date().toISOString(), level, component: "engine", ...fields })}\n`;
    (level === "error" ? process.stderr : process.stdout).write(line);
  };
}

export const silentLogger: EngineLogger = () => {};
