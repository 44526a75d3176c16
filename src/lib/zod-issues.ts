// Turning zod issues into words a person reads, in one place: configuration, bindings, the
// catalog, feed lines, snapshots and HTTP field errors all name a field the same way.

/** The part of a zod issue this needs (zod's own type varies across its issue kinds). */
export interface IssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  /** Present on `unrecognized_keys` issues. */
  keys?: readonly string[];
}

/** A zod path the way a person reads it: `locations[0].lat`; the root is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(root)";
}

export interface NamedIssue {
  /** Full path of the offending field (an unknown key included). */
  path: PropertyKey[];
  name: string;
  reason: string;
}

/**
 * One entry per offending field: an `unrecognized_keys` issue becomes one entry per unknown key
 * (named by its own path), so every caller reports unknown fields alike.
 */
export function namedIssues(
  issues: readonly IssueLike[],
  unknownReason = "unknown field",
  root = "(root)",
): NamedIssue[] {
  return issues.flatMap((i) => {
    if (i.code === "unrecognized_keys" && i.keys) {
      return i.keys.map((k) => named([...i.path, k], unknownReason, root));
    }
    return [named([...i.path], i.message, root)];
  });
}

function named(path: PropertyKey[], reason: string, root: string): NamedIssue {
  const name = path.length === 0 ? root : formatPath(path);
  return { path, name, reason };
}

/** "name: reason; name: reason" for a one-line error message. */
export function describeIssues(issues: readonly IssueLike[], root = "(root)"): string {
  return namedIssues(issues, "unknown field", root)
    .map((i) => `${i.name}: ${i.reason}`)
    .join("; ");
}
