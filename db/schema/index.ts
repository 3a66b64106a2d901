export * from "./auth";
export * from "./engine";
export * from "./organizations";
export * from "./projects";
export * from "./runs";
