// The committed judgment sets (eval/directory.json, eval/match.json): their shape, and reading
// and writing them with one judgment a line so that a pool extension reads as a small diff.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { MatchRequest } from "../src/ranking/match.js";
import type { DirectoryIntent } from "./cases.js";
import type { Grade } from "./rubric.js";

export const EVAL_DIR = fileURLToPath(new URL("./", import.meta.url));
export const DIRECTORY_FILE = `${EVAL_DIR}directory.json`;
export const MATCH_FILE = `${EVAL_DIR}match.json`;
export const FLOORS_FILE = `${EVAL_DIR}floors.json`;

export interface JudgedPartner {
  id: string;
  grade: Grade;
  why: string;
}

export interface JudgedDirectoryCase {
  id: string;
  q?: string;
  filters: Record<string, string[]>;
  intent: DirectoryIntent;
  note?: string;
  judgments: JudgedPartner[];
}

export interface JudgedMatchCase {
  id: string;
  request: MatchRequest;
  note?: string;
  /** A gated market: the finder must refuse (422), so no partner is relevant. */
  expectRefusal?: boolean;
  judgments: JudgedPartner[];
}

export interface JudgmentFile<C> {
  surface: "directory" | "match";
  /** The feed the partner ids refer to, and its SHA-256, so a changed feed is noticed. */
  feed: { path: string; sha256: string };
  rubric: string;
  pooling: string;
  cases: C[];
}

export function readJudgments<C>(path: string): JudgmentFile<C> {
  return JSON.parse(readFileSync(path, "utf8")) as JudgmentFile<C>;
}

export function writeJudgments<C extends { judgments: JudgedPartner[] }>(
  path: string,
  file: JudgmentFile<C>,
): void {
  const { cases, ...head } = file;
  const caseText = cases.map((c) => {
    const { judgments, ...rest } = c;
    const lines = judgments.map((j) => `    ${JSON.stringify(j)}`).join(",\n");
    const restText = JSON.stringify(rest);
    return `  ${restText.slice(0, -1)},"judgments":[\n${lines}\n  ]}`;
  });
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  writeFileSync(path, `${headText},\n "cases": [\n${caseText.join(",\n")}\n ]\n}\n`);
}

export function gradeMap(judgments: readonly JudgedPartner[]): Map<string, number> {
  return new Map(judgments.map((j) => [j.id, j.grade]));
}
