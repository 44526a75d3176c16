// The problem+json schema every route documents for its errors. (Profiles are described beside
// their allow-list copies, in src/partner/.)
import { z } from "@hono/zod-openapi";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: "Stable machine-readable code" }),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          name: z.string(),
          in: z.enum(["query", "path", "body", "header"]),
          reason: z.string(),
          pointer: z.string().optional(),
        }),
      )
      .optional(),
  })
  .openapi("Problem");
