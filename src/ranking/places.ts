// The places people name instead of coordinates: a visitor's "near Berlin" in the directory, a
// staff member's customer in Lyon. One list (data/places.json) also gives each city the other
// names searchers type for it, which the directory indexes with a partner's city.
import { z } from "zod";
import placesData from "./data/places.json" with { type: "json" };
import { fold } from "./tokenize.js";

const PlaceSchema = z
  .object({
    name: z.string().min(1),
    country: z.string().regex(/^[A-Z]{2}$/),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    aka: z.array(z.string().min(1)).optional(),
  })
  .strict();
const PlacesSchema = z.object({ note: z.string(), places: z.array(PlaceSchema) }).strict();

export type Place = z.infer<typeof PlaceSchema>;

const PLACES: readonly Place[] = PlacesSchema.parse(placesData).places;

/** "São Paulo", "sao paulo " and "SAO PAULO" name the same place. */
const key = (s: string) => fold(s).trim().replace(/\s+/g, " ");

const BY_NAME = new Map<string, Place>();
const ALIASES = new Map<string, string[]>();
for (const p of PLACES) {
  for (const n of [p.name, ...(p.aka ?? [])]) {
    // The first place listed under a name keeps it (the list is ordered by market size).
    if (!BY_NAME.has(key(n))) BY_NAME.set(key(n), p);
  }
  if (p.aka) ALIASES.set(p.name, p.aka);
}

/** The place a typed name means, or undefined; "Berlin, DE" narrows it to that country. */
export function findPlace(text: string): Place | undefined {
  const m = /^(.*?)\s*,\s*([A-Za-z]{2})\s*$/.exec(text);
  if (m?.[1] && m[2]) {
    const country = m[2].toUpperCase();
    const wanted = key(m[1]);
    return PLACES.find(
      (p) => p.country === country && [p.name, ...(p.aka ?? [])].some((n) => key(n) === wanted),
    );
  }
  return BY_NAME.get(key(text));
}

/** A city as the feed spells it and the other names searchers type for it. */
export function cityNames(city: string): string[] {
  return [city, ...(ALIASES.get(city) ?? [])];
}

/** Every place, in the list's order (no page offers them as suggestions yet). */
export function allPlaces(): readonly Place[] {
  return PLACES;
}
