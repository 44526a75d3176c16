// The typed Hono environment: handlers take their services from `c.var`, never from globals.
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import type { SearchBackend } from "../search/backend.js";

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface AppDeps {
  backend: SearchBackend;
  catalog: Catalog;
  policy: MarketPolicy;
  /** Bearer tokens accepted by the staff endpoints; empty means staff endpoints refuse all. */
  matchTokens: readonly string[];
  clock?: () => Date;
  logger?: Logger;
  /** Shown in /healthz and the OpenAPI document. */
  version?: string;
}

export interface AppVariables {
  deps: Required<Omit<AppDeps, "version">> & { version: string };
}

export type AppEnv = { Variables: AppVariables };

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const consoleLogger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: "info", msg, ...data })),
  warn: (msg, data) => console.warn(JSON.stringify({ level: "warn", msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: "error", msg, ...data })),
};
