// Response schemas shared by routes, for the OpenAPI document.
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

export const PublicProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    website: z.string().optional(),
    programLevel: z.string(),
    tier: z.string(),
    accreditations: z.array(z.object({ code: z.string(), since: z.string().optional() })),
    certificationsCount: z.number().int(),
    languages: z.array(z.string()),
    industries: z.array(z.string()),
    services: z.array(z.string()),
    products: z.array(z.string()),
    customerSizes: z.array(z.string()),
    locations: z.array(
      z.object({
        country: z.string(),
        city: z.string(),
        lat: z.number().optional(),
        lon: z.number().optional(),
      }),
    ),
    markets: z.array(z.string()),
    reviews: z.object({ count: z.number().int(), average: z.number() }),
    minProjectBudgetUsd: z.number().optional(),
    updatedAt: z.string(),
    accredited: z.boolean(),
    badges: z.array(z.string()),
  })
  .openapi("PublicProfile");
