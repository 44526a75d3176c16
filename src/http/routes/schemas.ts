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

/** An error answer in a route's documentation: problem+json, with what it means there. */
export const problemResponseDoc = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** A partner id as the feed accepts it (src/partner/schema.ts): 1-64 characters. */
export const PARTNER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const partnerId = z
  .string()
  .min(1)
  .max(64)
  .regex(PARTNER_ID, "a partner id: 1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit")
  .openapi({ example: "p-000123" });
