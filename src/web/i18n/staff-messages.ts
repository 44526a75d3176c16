// Every string of the staff pages (sign-in, partner finder) in the five interface languages,
// one file per language beside this one. English is the reference; a test checks that every
// language has every key. Catalog labels (products, industries...) and the ranking's reason
// details stay as the catalog and the ranking write them: they are data, shared with the API.
import type { Messages } from "./languages.js";
import { de } from "./staff/de.js";
import { en, type StaffKey } from "./staff/en.js";
import { es } from "./staff/es.js";
import { fr } from "./staff/fr.js";
import { ja } from "./staff/ja.js";

export type { StaffKey };

export const STAFF_MESSAGES: Messages<StaffKey> = { en, de, fr, ja, es };
