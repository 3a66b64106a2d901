export * from "./auth";
export * from "./checks";
export * from "./engine";
export * from "./organizations";
export * from "./projects";
export * from "./rate-limit";
export * from "./repositories";
export * from "./runs";
