// The API descriptions. The public /openapi.json describes the public endpoints only: the staff
// endpoints' schemas name every internal field (retention, notes, contact e-mails...), so their
// description is served at /v1/staff/openapi.json, behind the staff token like the endpoints.
// The operators' push endpoint (/v1/admin/*, its own tokens) is described there too.

/** The part of an OpenAPI 3.1 document this trims. */
export interface OpenApiDocument {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  [k: string]: unknown;
}

/**
 * The routes behind a bearer token (staff, and the operators' /v1/admin/*), as Hono paths:
 * no-store, the staff rate limit per token, described only in the staff document.
 */
export const ADMIN_ROUTES = "/v1/admin/*";
export const STAFF_ROUTES = ["/v1/match", "/v1/staff/*", ADMIN_ROUTES] as const;

export function isStaffPath(path: string): boolean {
  return STAFF_ROUTES.some((r) =>
    r.endsWith("/*") ? path.startsWith(r.slice(0, -1)) : path === r,
  );
}

/** The document without staff paths, and without the schemas only they referenced. */
export function publicDocument(full: OpenApiDocument): OpenApiDocument {
  const paths = Object.fromEntries(
    Object.entries(full.paths ?? {}).filter(([path]) => !isStaffPath(path)),
  );
  const schemas = full.components?.schemas ?? {};
  const kept = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") {
        const name = v.replace(/^#\/components\/schemas\//, "");
        if (!kept.has(name) && name in schemas) {
          kept.add(name);
          visit(schemas[name]);
        }
      } else {
        visit(v);
      }
    }
  };
  visit(paths);
  const { securitySchemes: _staffOnly, ...components } = full.components ?? {};
  return {
    ...full,
    paths,
    components: {
      ...components,
      schemas: Object.fromEntries(Object.entries(schemas).filter(([n]) => kept.has(n))),
    },
  };
}
