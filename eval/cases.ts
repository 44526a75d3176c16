// The evaluation questions, written by hand before any ranking was looked at: directory searches
// (with what the searcher means, read from the query as a person would) and staff match requests.
// scripts/eval-judge.ts turns these into the committed judgment sets (eval/directory.json,
// eval/match.json); a case is never edited to suit a ranking.
import type { FilterField } from "../src/ranking/directory.js";
import type { MatchRequest } from "../src/ranking/match.js";

/**
 * What a directory searcher wants, in catalog terms. All fields are optional; a partner covers
 * the intent by the share of listed aspects it meets.
 */
export interface DirectoryIntent {
  /** Services the searcher needs all of (coverage is the share offered). */
  services?: string[];
  /** Services of which any one will do ("marketing" means any marketing service). */
  anyServices?: string[];
  industries?: string[];
  /** Products the searcher names (coverage is the share worked with). */
  products?: string[];
  customerSizes?: string[];
  /** The searcher's language, read from the query's language (a German query wants German). */
  languages?: string[];
  /** A place typed into the search box. */
  cities?: string[];
  /** The searcher's market when no country filter says it (e.g. a Japanese-script query). */
  market?: string;
}

export interface DirectoryCase {
  id: string;
  q?: string;
  filters: Partial<Record<FilterField, string[]>>;
  intent: DirectoryIntent;
  /** Which hard case this covers, when it is one. */
  note?: string;
}

/** A partner-of-record placeholder resolved by the judge script from the feed. */
export type PartnerOfRecordPick = "@eligible" | "@at_capacity";

export interface MatchCase {
  id: string;
  request: MatchRequest;
  /** Resolved to a concrete id when the judgments are built. */
  pickPartnerOfRecord?: PartnerOfRecordPick;
  note?: string;
}

const d = (
  id: string,
  q: string | undefined,
  filters: DirectoryCase["filters"],
  intent: DirectoryIntent,
  note?: string,
): DirectoryCase => ({
  id,
  ...(q ? { q } : {}),
  filters,
  intent,
  ...(note ? { note } : {}),
});

export const DIRECTORY_CASES: DirectoryCase[] = [
  // Filter-only searches: the filters are the whole need.
  d("us-all", undefined, { country: ["US"] }, {}),
  d("us-manufacturing", undefined, { country: ["US"], industry: ["manufacturing"] }, {}),
  d(
    "gb-crm-implementation",
    undefined,
    { country: ["GB"], service: ["crm_implementation"] },
    {
      services: ["crm_implementation"],
    },
  ),
  d("de-accredited", undefined, { country: ["DE"], accredited: ["true"] }, {}),
  d("de-german-speaking", undefined, { country: ["DE"], language: ["de"] }, {}),
  d(
    "ca-large-enterprise",
    undefined,
    { country: ["CA"], customerSize: ["large", "enterprise"] },
    {},
  ),
  d("au-healthcare", undefined, { country: ["AU"], industry: ["healthcare"] }, {}),
  d("fr-all", undefined, { country: ["FR"] }, {}, "accreditation not offered (FR)"),
  d("fr-manufacturing", undefined, { country: ["FR"], industry: ["manufacturing"] }, {}, "FR"),
  d("es-all", undefined, { country: ["ES"] }, {}, "accreditation not offered (ES)"),
  d(
    "es-retail-spanish",
    undefined,
    { country: ["ES"], language: ["es"], industry: ["retail_ecommerce"] },
    {},
    "ES",
  ),
  d("mx-all", undefined, { country: ["MX"] }, {}, "accreditation not offered (LATAM)"),
  d("br-portuguese", undefined, { country: ["BR"], language: ["pt"] }, {}, "LATAM"),
  d("jp-all", undefined, { country: ["JP"] }, {}, "accreditation not offered (JP)"),
  d(
    "jp-crm-implementation",
    undefined,
    { country: ["JP"], service: ["crm_implementation"] },
    {
      services: ["crm_implementation"],
    },
    "JP: the service stands in for the accreditation",
  ),
  d("nl-service-hub", undefined, { country: ["NL"], product: ["service_hub"] }, {}),
  d("us-gold-seo", undefined, { country: ["US"], tier: ["gold"], service: ["seo"] }, {}),
  d("in-all", undefined, { country: ["IN"] }, {}),
  d("sg-commerce-hub", undefined, { country: ["SG"], product: ["commerce_hub"] }, {}),
  d("ch-german-or-french", undefined, { country: ["CH"], language: ["de", "fr"] }, {}),
  d("it-all", undefined, { country: ["IT"] }, {}),
  d(
    "us-enterprise-operations",
    undefined,
    { country: ["US"], product: ["operations_hub"], customerSize: ["enterprise"] },
    {},
  ),
  d("se-all", undefined, { country: ["SE"] }, {}),
  d(
    "at-crm-migration",
    undefined,
    { country: ["AT"], service: ["crm_migration"] },
    {
      services: ["crm_migration"],
    },
  ),
  // Free text alone.
  d("t-crm-implementation", "crm implementation", {}, { services: ["crm_implementation"] }),
  d("t-hubspot-onboarding", "hubspot onboarding", {}, { services: ["onboarding"] }),
  d("t-custom-integration", "custom integration", {}, { services: ["custom_integration"] }),
  d("t-crm-migration", "crm migration from salesforce", {}, { services: ["crm_migration"] }),
  d("t-seo-agency", "seo agency", {}, { services: ["seo"] }),
  d(
    "t-inbound-nonprofits",
    "inbound marketing for nonprofits",
    {},
    {
      services: ["inbound_marketing"],
      industries: ["nonprofit"],
    },
  ),
  d("t-revops", "revops consulting", {}, { services: ["revops"] }),
  d("t-web-design", "web design", {}, { services: ["web_design"] }),
  d(
    "t-sales-enablement-training",
    "sales enablement and training",
    {},
    {
      services: ["sales_enablement", "training"],
    },
  ),
  d(
    "t-solutions-architecture",
    "solutions architecture",
    {},
    {
      services: ["solutions_architecture"],
    },
  ),
  d(
    "t-healthcare-marketing",
    "healthcare marketing",
    {},
    {
      industries: ["healthcare"],
      anyServices: ["inbound_marketing", "content_marketing", "seo", "paid_ads"],
    },
  ),
  d(
    "t-service-hub-support",
    "service hub customer support setup",
    {},
    {
      products: ["service_hub"],
      services: ["customer_service_setup"],
    },
  ),
  d(
    "t-commerce-ecommerce",
    "commerce hub ecommerce",
    {},
    {
      products: ["commerce_hub"],
      industries: ["retail_ecommerce"],
    },
  ),
  d(
    "t-reporting",
    "reporting and analytics dashboards",
    {},
    {
      services: ["reporting_analytics"],
    },
  ),
  d("t-manchester", "Manchester", {}, { cities: ["Manchester"] }, "a place typed as text"),
  d("t-toronto-partner", "Toronto hubspot partner", {}, { cities: ["Toronto"] }),
  // Free text with filters.
  d(
    "us-software-crm",
    "crm implementation",
    { country: ["US"], industry: ["software"] },
    {
      services: ["crm_implementation"],
    },
  ),
  d("gb-onboarding", "onboarding", { country: ["GB"] }, { services: ["onboarding"] }),
  d(
    "de-accredited-integration",
    "integration",
    { country: ["DE"], accredited: ["true"] },
    {
      services: ["custom_integration"],
    },
  ),
  d("fr-seo", "seo", { country: ["FR"] }, { services: ["seo"] }, "FR"),
  d(
    "es-migracion",
    "migración de datos CRM",
    { country: ["ES"] },
    {
      services: ["crm_migration"],
      languages: ["es"],
    },
    "ES, Spanish text",
  ),
  d(
    "mx-implementacion",
    "implementación de CRM",
    { country: ["MX"] },
    {
      services: ["crm_implementation"],
      languages: ["es"],
    },
    "LATAM, Spanish text",
  ),
  d(
    "br-implementacao",
    "implementação de CRM",
    { country: ["BR"] },
    {
      services: ["crm_implementation"],
      languages: ["pt"],
    },
    "LATAM, Portuguese text",
  ),
  d(
    "fr-integration-crm",
    "intégration CRM",
    { country: ["FR"] },
    {
      services: ["crm_implementation"],
      languages: ["fr"],
    },
    "FR, French text",
  ),
  d(
    "de-crm-einfuehrung",
    "CRM-Einführung Maschinenbau",
    { country: ["DE"] },
    {
      services: ["crm_implementation"],
      industries: ["manufacturing"],
      languages: ["de"],
    },
    "German free text (compound)",
  ),
  d(
    "t-marketingagentur-muenchen",
    "Marketingagentur München",
    {},
    {
      anyServices: ["inbound_marketing", "content_marketing", "seo", "paid_ads"],
      cities: ["München"],
      languages: ["de"],
      market: "DE",
    },
    "German free text without filters",
  ),
  d(
    "at-datenmigration",
    "CRM-Datenmigration",
    { country: ["AT"] },
    {
      services: ["crm_migration"],
      languages: ["de"],
    },
    "German compound",
  ),
  d(
    "t-webdesign-berlin",
    "Webdesign Berlin",
    {},
    {
      services: ["web_design"],
      cities: ["Berlin"],
      languages: ["de"],
      market: "DE",
    },
    "German free text",
  ),
  d(
    "t-ja-crm-donyu",
    "CRM導入支援",
    {},
    {
      services: ["crm_implementation"],
      languages: ["ja"],
      market: "JP",
    },
    "Japanese free text; accreditation not offered in JP",
  ),
  d(
    "jp-seo-manufacturing",
    "製造業 SEO対策",
    { country: ["JP"] },
    {
      services: ["seo"],
      industries: ["manufacturing"],
      languages: ["ja"],
    },
    "Japanese free text",
  ),
  d(
    "jp-onboarding",
    "オンボーディング支援",
    { country: ["JP"] },
    {
      services: ["onboarding"],
      languages: ["ja"],
    },
    "Japanese free text",
  ),
  d("nz-hubspot-partner", "HubSpot partner", { country: ["NZ"] }, {}),
  d(
    "us-enterprise-revops",
    "revops",
    { country: ["US"], customerSize: ["enterprise"] },
    {
      services: ["revops"],
    },
  ),
  d("au-sales-hub", "sales hub", { country: ["AU"] }, { products: ["sales_hub"] }),
  d(
    "ie-content-marketing",
    "content marketing",
    { country: ["IE"] },
    {
      services: ["content_marketing"],
    },
  ),
  d("ca-paid-ads", "paid ads", { country: ["CA"] }, { services: ["paid_ads"] }),
  d(
    "in-crm",
    "crm",
    { country: ["IN"] },
    {
      anyServices: ["crm_implementation", "crm_migration"],
    },
  ),
  d(
    "us-financial-crm",
    "financial services CRM",
    { country: ["US"] },
    {
      industries: ["financial_services"],
      anyServices: ["crm_implementation", "crm_migration"],
    },
  ),
  d("gb-education", "education", { country: ["GB"] }, { industries: ["education"] }),
  d(
    "us-real-estate-leads",
    "real estate lead generation",
    { country: ["US"] },
    {
      industries: ["real_estate"],
      anyServices: ["inbound_marketing", "paid_ads"],
    },
  ),
  d(
    "nl-klantenservice",
    "inrichting van klantenservice",
    { country: ["NL"], language: ["nl"] },
    {
      services: ["customer_service_setup"],
      languages: ["nl"],
    },
    "Dutch free text",
  ),
  d("za-training", "training", { country: ["ZA"] }, { services: ["training"] }),
  d(
    "it-implementazione",
    "implementazione CRM",
    { country: ["IT"] },
    {
      services: ["crm_implementation"],
      languages: ["it"],
    },
    "Italian free text",
  ),
  d(
    "us-migration-integration",
    "crm migration and custom integration",
    { country: ["US"] },
    {
      services: ["crm_migration", "custom_integration"],
    },
    "two needs",
  ),
  // Every word must match (issue 10): several words, typos, a word still being typed, and a
  // place in the query, in en, de, fr, ja and es. Intents read from the query as a person would.
  d(
    "r-en-crm-migration-boston",
    "crm migration boston",
    {},
    {
      services: ["crm_migration"],
      cities: ["Boston"],
    },
  ),
  d(
    "r-en-agency-berlin-ecommerce",
    "agency berlin ecommerce",
    {},
    {
      industries: ["retail_ecommerce"],
      cities: ["Berlin"],
    },
  ),
  d("r-en-migraton", "migraton", {}, { services: ["crm_migration"] }, "a typo"),
  d("r-en-onbaording", "hubspot onbaording", {}, { services: ["onboarding"] }, "swapped letters"),
  d("r-en-seo-london", "seo london", {}, { services: ["seo"], cities: ["London"] }),
  d("r-en-custom-integrat", "custom integrat", {}, { services: ["custom_integration"] }, "typing"),
  d(
    "r-en-training-chicago-healthcare",
    "sales training chicago healthcare",
    {},
    {
      services: ["training"],
      industries: ["healthcare"],
      cities: ["Chicago"],
    },
  ),
  d(
    "r-en-manufacturng-crm",
    "manufacturng crm implementation",
    {},
    {
      industries: ["manufacturing"],
      services: ["crm_implementation"],
    },
  ),
  d(
    "r-en-web-design-manchester",
    "web design manchester",
    {},
    {
      services: ["web_design"],
      cities: ["Manchester"],
    },
  ),
  d(
    "r-en-revops-sf-software",
    "revops san francisco software",
    {},
    {
      services: ["revops"],
      industries: ["software"],
      cities: ["San Francisco"],
    },
  ),
  d(
    "r-en-reportng-denver",
    "reportng dashboards denver",
    {},
    {
      services: ["reporting_analytics"],
      cities: ["Denver"],
    },
  ),
  d(
    "r-en-service-hub-austin",
    "service hub setup austin",
    {},
    {
      products: ["service_hub"],
      services: ["customer_service_setup"],
      cities: ["Austin"],
    },
  ),
  d(
    "r-de-crm-beratung-hamburg",
    "CRM Beratung Hamburg",
    {},
    {
      anyServices: ["crm_implementation", "solutions_architecture", "revops"],
      cities: ["Hamburg"],
      languages: ["de"],
      market: "DE",
    },
  ),
  d(
    "r-de-inbound-koeln",
    "Agentur Inbound Marketing Köln",
    {},
    {
      services: ["inbound_marketing"],
      cities: ["Köln"],
      languages: ["de"],
      market: "DE",
    },
  ),
  d(
    "r-de-schnittstellen-typo",
    "Schnittstellenentwicklng",
    {},
    {
      services: ["custom_integration"],
      languages: ["de"],
      market: "DE",
    },
    "a typo in a German compound",
  ),
  d(
    "r-de-datenmigration-koeln",
    "Datenmigration Köln",
    {},
    {
      services: ["crm_migration"],
      cities: ["Köln"],
      languages: ["de"],
      market: "DE",
    },
  ),
  d(
    "r-de-schulung-stuttgart",
    "Schulung Vertrieb Stuttgart",
    {},
    {
      services: ["training"],
      cities: ["Stuttgart"],
      languages: ["de"],
      market: "DE",
    },
  ),
  d(
    "r-de-webdesing-frankfurt",
    "Webdesing Frankfurt",
    {},
    {
      services: ["web_design"],
      cities: ["Frankfurt am Main"],
      languages: ["de"],
      market: "DE",
    },
    "a typo",
  ),
  d(
    "r-de-onboarding-wien",
    "Onboarding Wien",
    {},
    {
      services: ["onboarding"],
      cities: ["Wien"],
      languages: ["de"],
      market: "AT",
    },
  ),
  d(
    "r-de-einfuehrung-zuerich",
    "HubSpot Einführung Zürich",
    {},
    {
      anyServices: ["crm_implementation", "onboarding"],
      cities: ["Zürich"],
      languages: ["de"],
      market: "CH",
    },
  ),
  d(
    "r-fr-agence-seo-paris",
    "agence seo paris",
    {},
    {
      services: ["seo"],
      cities: ["Paris"],
      languages: ["fr"],
      market: "FR",
    },
  ),
  d(
    "r-fr-integration-lyon",
    "intégration crm lyon",
    {},
    {
      anyServices: ["crm_implementation", "custom_integration"],
      cities: ["Lyon"],
      languages: ["fr"],
      market: "FR",
    },
  ),
  d(
    "r-fr-migraton-donnees",
    "migraton des données",
    {},
    {
      services: ["crm_migration"],
      languages: ["fr"],
      market: "FR",
    },
    "a typo",
  ),
  d(
    "r-fr-formation-bordeaux",
    "formation hubspot bordeaux",
    {},
    {
      services: ["training"],
      cities: ["Bordeaux"],
      languages: ["fr"],
      market: "FR",
    },
  ),
  d(
    "r-fr-marketing-toulouse",
    "marketing entrant toulouse",
    {},
    {
      services: ["inbound_marketing"],
      cities: ["Toulouse"],
      languages: ["fr"],
      market: "FR",
    },
  ),
  d(
    "r-fr-consultant-geneve",
    "consultant crm genève",
    {},
    {
      anyServices: ["crm_implementation", "solutions_architecture"],
      cities: ["Genève"],
      languages: ["fr"],
      market: "CH",
    },
  ),
  d(
    "r-ja-tokyo-marketing",
    "東京 マーケティング",
    {},
    {
      anyServices: ["inbound_marketing", "content_marketing", "seo", "paid_ads"],
      cities: ["Tokyo"],
      languages: ["ja"],
      market: "JP",
    },
  ),
  d(
    "r-ja-osaka-donyu",
    "大阪 導入支援",
    {},
    {
      anyServices: ["crm_implementation", "onboarding"],
      cities: ["Osaka"],
      languages: ["ja"],
      market: "JP",
    },
  ),
  d(
    "r-ja-crm-iko",
    "CRM 移行",
    {},
    {
      services: ["crm_migration"],
      languages: ["ja"],
      market: "JP",
    },
  ),
  d(
    "r-ja-yokohama-seo",
    "横浜 SEO",
    {},
    {
      services: ["seo"],
      cities: ["Yokohama"],
      languages: ["ja"],
      market: "JP",
    },
  ),
  d(
    "r-es-agencia-seo-madrid",
    "agencia seo madrid",
    {},
    {
      services: ["seo"],
      cities: ["Madrid"],
      languages: ["es"],
      market: "ES",
    },
  ),
  d(
    "r-es-implementacion-barcelon",
    "implementacion crm barcelon",
    {},
    {
      services: ["crm_implementation"],
      cities: ["Barcelona"],
      languages: ["es"],
      market: "ES",
    },
    "typing, without accents",
  ),
  d(
    "r-es-migracion-cdmx",
    "migración de datos Ciudad de México",
    {},
    {
      services: ["crm_migration"],
      cities: ["Ciudad de México"],
      languages: ["es"],
      market: "MX",
    },
  ),
  d(
    "r-es-formacion-sevilla",
    "formación ventas sevilla",
    {},
    {
      anyServices: ["training", "sales_enablement"],
      cities: ["Sevilla"],
      languages: ["es"],
      market: "ES",
    },
  ),
  d(
    "r-es-integracon-valencia",
    "integracón valencia",
    {},
    {
      services: ["custom_integration"],
      cities: ["Valencia"],
      languages: ["es"],
      market: "ES",
    },
    "a typo",
  ),
];

type Customer = MatchRequest["customer"];
const m = (
  id: string,
  customer: Customer,
  motion?: MatchRequest["motion"],
  extra: Partial<Pick<MatchCase, "pickPartnerOfRecord" | "note">> = {},
): MatchCase => ({
  id,
  request: { customer, ...(motion ? { motion } : {}), limit: 10 },
  ...extra,
});

const CHICAGO = { lat: 41.88, lon: -87.63 };
const NEW_YORK = { lat: 40.71, lon: -74.01 };
const DENVER = { lat: 39.74, lon: -104.99 };
const HAMBURG = { lat: 53.55, lon: 9.99 };
const MANCHESTER = { lat: 53.48, lon: -2.24 };
const TORONTO = { lat: 43.65, lon: -79.38 };
const WIEN = { lat: 48.21, lon: 16.37 };
const SYDNEY = { lat: -33.87, lon: 151.21 };
const MADRID = { lat: 40.42, lon: -3.7 };
const PARIS = { lat: 48.86, lon: 2.35 };
const LYON = { lat: 45.76, lon: 4.84 };
const BARCELONA = { lat: 41.39, lon: 2.17 };
const MEXICO_CITY = { lat: 19.43, lon: -99.13 };
const SAO_PAULO = { lat: -23.55, lon: -46.63 };

const ALL_ACCREDITATIONS = [
  "crm_implementation",
  "onboarding",
  "custom_integration",
  "solutions_architecture",
  "crm_migration",
];

export const MATCH_CASES: MatchCase[] = [
  // United States, the deepest market.
  m(
    "us-mfg-large-crm",
    {
      country: "US",
      languages: ["en"],
      industry: "manufacturing",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
      location: CHICAGO,
    },
    "difm",
  ),
  m(
    "us-software-inbound",
    {
      country: "US",
      languages: ["en"],
      industry: "software",
      companySize: "medium",
      products: ["marketing_hub"],
      needs: ["inbound_marketing"],
    },
    "difm",
  ),
  m(
    "us-health-upmarket",
    {
      country: "US",
      languages: ["en"],
      industry: "healthcare",
      companySize: "enterprise",
      products: ["service_hub"],
      needs: ["customer_service_setup"],
    },
    "upmarket_referral",
    { note: "upmarket: accreditation required" },
  ),
  m(
    "us-fin-migration-integration",
    {
      country: "US",
      languages: ["en"],
      industry: "financial_services",
      companySize: "large",
      products: ["sales_hub", "service_hub"],
      needs: ["crm_migration", "custom_integration"],
    },
    "difm",
  ),
  m(
    "us-retail-web",
    {
      country: "US",
      languages: ["en"],
      industry: "retail_ecommerce",
      companySize: "small",
      products: ["commerce_hub"],
      needs: ["web_design"],
    },
    "difm",
  ),
  m("us-nonprofit-content", {
    country: "US",
    industry: "nonprofit",
    companySize: "small",
    products: ["marketing_hub"],
    needs: ["content_marketing"],
  }),
  m(
    "us-realestate-crm-ny",
    {
      country: "US",
      languages: ["en"],
      industry: "real_estate",
      companySize: "medium",
      products: ["smart_crm"],
      needs: ["crm_implementation"],
      location: NEW_YORK,
    },
    "difm",
  ),
  m(
    "us-edu-architecture-upmarket",
    {
      country: "US",
      languages: ["en"],
      industry: "education",
      companySize: "large",
      products: ["operations_hub"],
      needs: ["custom_integration", "solutions_architecture"],
    },
    "upmarket_referral",
  ),
  m(
    "us-no-single-partner",
    {
      country: "US",
      languages: ["en"],
      industry: "agriculture",
      companySize: "enterprise",
      products: ["sales_hub", "service_hub", "operations_hub"],
      needs: ALL_ACCREDITATIONS,
    },
    "difm",
    { note: "a need no single partner covers fully" },
  ),
  m(
    "us-por-eligible",
    {
      country: "US",
      languages: ["en"],
      industry: "professional_services",
      companySize: "small",
      products: ["marketing_hub"],
      needs: ["onboarding"],
    },
    "difm",
    { pickPartnerOfRecord: "@eligible", note: "partner of record" },
  ),
  m(
    "us-por-at-capacity",
    {
      country: "US",
      languages: ["en"],
      industry: "software",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
    },
    "difm",
    { pickPartnerOfRecord: "@at_capacity", note: "partner of record at capacity" },
  ),
  m("us-country-only", { country: "US" }),
  m(
    "us-spanish-services",
    {
      country: "US",
      languages: ["es"],
      industry: "professional_services",
      companySize: "small",
      products: ["sales_hub"],
    },
    "difm",
  ),
  m("us-media-content", {
    country: "US",
    languages: ["en"],
    industry: "media_publishing",
    companySize: "medium",
    products: ["content_hub"],
    needs: ["content_marketing"],
  }),
  m(
    "us-telco-revops",
    {
      country: "US",
      languages: ["en"],
      industry: "telecommunications",
      companySize: "enterprise",
      products: ["service_hub", "operations_hub"],
      needs: ["revops"],
    },
    "upmarket_referral",
  ),
  m(
    "us-legal-onboarding",
    {
      country: "US",
      languages: ["en"],
      industry: "legal",
      companySize: "micro",
      products: ["smart_crm"],
      needs: ["onboarding"],
    },
    "difm",
  ),
  m(
    "us-gov-architecture",
    {
      country: "US",
      languages: ["en"],
      industry: "government",
      companySize: "large",
      needs: ["solutions_architecture"],
    },
    "upmarket_referral",
  ),
  m(
    "us-consumer-ads-collab",
    {
      country: "US",
      languages: ["en"],
      industry: "consumer_goods",
      companySize: "medium",
      products: ["commerce_hub"],
      needs: ["paid_ads"],
    },
    "partner_collaboration",
  ),
  m(
    "us-construction-denver",
    {
      country: "US",
      languages: ["en"],
      industry: "construction",
      companySize: "small",
      products: ["sales_hub"],
      location: DENVER,
    },
    "difm",
  ),
  m(
    "us-logistics-migration",
    {
      country: "US",
      languages: ["en"],
      industry: "logistics",
      companySize: "large",
      products: ["sales_hub", "operations_hub"],
      needs: ["crm_migration"],
    },
    "difm",
  ),
  m(
    "us-auto-integration",
    {
      country: "US",
      industry: "automotive",
      companySize: "enterprise",
      needs: ["custom_integration"],
    },
    "difm",
  ),
  // UK and Ireland.
  m(
    "gb-mfg-crm-manchester",
    {
      country: "GB",
      languages: ["en"],
      industry: "manufacturing",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
      location: MANCHESTER,
    },
    "difm",
  ),
  m("gb-profserv-seo", {
    country: "GB",
    languages: ["en"],
    industry: "professional_services",
    companySize: "small",
    products: ["marketing_hub"],
    needs: ["seo"],
  }),
  m(
    "gb-fin-integration-upmarket",
    {
      country: "GB",
      languages: ["en"],
      industry: "financial_services",
      companySize: "enterprise",
      products: ["service_hub"],
      needs: ["custom_integration"],
    },
    "upmarket_referral",
  ),
  m(
    "gb-por-eligible",
    {
      country: "GB",
      languages: ["en"],
      industry: "retail_ecommerce",
      companySize: "medium",
      products: ["commerce_hub"],
    },
    "difm",
    { pickPartnerOfRecord: "@eligible", note: "partner of record" },
  ),
  m(
    "gb-no-single-partner",
    {
      country: "GB",
      languages: ["en"],
      industry: "agriculture",
      companySize: "enterprise",
      products: ["operations_hub", "commerce_hub"],
      needs: ALL_ACCREDITATIONS,
    },
    "difm",
    { note: "a need no single partner covers fully" },
  ),
  m(
    "ie-software-migration",
    {
      country: "IE",
      languages: ["en"],
      industry: "software",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_migration"],
    },
    "upmarket_referral",
  ),
  // DACH.
  m(
    "de-mfg-crm-hamburg",
    {
      country: "DE",
      languages: ["de"],
      industry: "manufacturing",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
      location: HAMBURG,
    },
    "difm",
    { note: "the contract's example" },
  ),
  m(
    "de-auto-architecture",
    {
      country: "DE",
      languages: ["de"],
      industry: "automotive",
      companySize: "enterprise",
      products: ["operations_hub"],
      needs: ["custom_integration", "solutions_architecture"],
    },
    "upmarket_referral",
  ),
  m(
    "de-software-onboarding",
    {
      country: "DE",
      languages: ["de", "en"],
      industry: "software",
      companySize: "medium",
      products: ["marketing_hub"],
      needs: ["onboarding"],
    },
    "difm",
  ),
  m(
    "de-logistics-service",
    {
      country: "DE",
      languages: ["de"],
      industry: "logistics",
      companySize: "medium",
      products: ["service_hub"],
      needs: ["customer_service_setup"],
    },
    "partner_collaboration",
  ),
  m(
    "de-por-eligible",
    {
      country: "DE",
      languages: ["de"],
      industry: "manufacturing",
      companySize: "medium",
      products: ["sales_hub"],
    },
    "difm",
    { pickPartnerOfRecord: "@eligible", note: "partner of record" },
  ),
  m(
    "de-por-at-capacity",
    {
      country: "DE",
      languages: ["de"],
      industry: "software",
      companySize: "small",
      products: ["marketing_hub"],
    },
    "difm",
    { pickPartnerOfRecord: "@at_capacity", note: "partner of record at capacity" },
  ),
  m("at-travel-inbound-wien", {
    country: "AT",
    languages: ["de"],
    industry: "travel_hospitality",
    companySize: "small",
    products: ["marketing_hub"],
    needs: ["inbound_marketing"],
    location: WIEN,
  }),
  m(
    "ch-fin-migration",
    {
      country: "CH",
      languages: ["de", "fr"],
      industry: "financial_services",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_migration"],
    },
    "difm",
  ),
  // The Americas outside LATAM.
  m(
    "ca-retail-french",
    {
      country: "CA",
      languages: ["fr"],
      industry: "retail_ecommerce",
      companySize: "medium",
      products: ["commerce_hub"],
    },
    "difm",
  ),
  m(
    "ca-software-onboarding-toronto",
    {
      country: "CA",
      languages: ["en"],
      industry: "software",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["onboarding"],
      location: TORONTO,
    },
    "difm",
  ),
  m(
    "ca-por-at-capacity",
    {
      country: "CA",
      languages: ["en"],
      industry: "manufacturing",
      companySize: "medium",
      products: ["sales_hub"],
    },
    "difm",
    { pickPartnerOfRecord: "@at_capacity", note: "partner of record at capacity" },
  ),
  // APAC (outside Japan).
  m(
    "au-construction-crm-sydney",
    {
      country: "AU",
      languages: ["en"],
      industry: "construction",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
      location: SYDNEY,
    },
    "difm",
  ),
  m("au-education-marketing", {
    country: "AU",
    languages: ["en"],
    industry: "education",
    companySize: "small",
    products: ["marketing_hub"],
  }),
  m("nz-agriculture", {
    country: "NZ",
    languages: ["en"],
    industry: "agriculture",
    companySize: "small",
    products: ["smart_crm"],
  }),
  m(
    "in-software-sales",
    {
      country: "IN",
      languages: ["en"],
      industry: "software",
      companySize: "large",
      products: ["sales_hub"],
    },
    "difm",
  ),
  m("in-healthcare-service", {
    country: "IN",
    languages: ["en"],
    industry: "healthcare",
    companySize: "medium",
    products: ["service_hub"],
    needs: ["customer_service_setup"],
  }),
  m(
    "sg-fin-enterprise",
    {
      country: "SG",
      languages: ["en"],
      industry: "financial_services",
      companySize: "enterprise",
      products: ["service_hub"],
      needs: ["crm_implementation"],
    },
    "upmarket_referral",
  ),
  // Benelux, Nordics, rest of EMEA.
  m(
    "nl-logistics-integration",
    {
      country: "NL",
      languages: ["nl"],
      industry: "logistics",
      companySize: "large",
      products: ["operations_hub"],
      needs: ["custom_integration"],
    },
    "difm",
  ),
  m("nl-software-english", {
    country: "NL",
    languages: ["en"],
    industry: "software",
    companySize: "medium",
    products: ["sales_hub", "marketing_hub"],
  }),
  m("be-profserv", {
    country: "BE",
    languages: ["fr", "nl"],
    industry: "professional_services",
    companySize: "small",
    products: ["marketing_hub"],
  }),
  m(
    "se-mfg",
    {
      country: "SE",
      languages: ["sv", "en"],
      industry: "manufacturing",
      companySize: "medium",
      products: ["sales_hub"],
    },
    "difm",
  ),
  m("no-energy", {
    country: "NO",
    languages: ["no", "en"],
    industry: "energy_utilities",
    companySize: "large",
    products: ["service_hub"],
  }),
  m(
    "it-mfg-italian",
    {
      country: "IT",
      languages: ["it"],
      industry: "manufacturing",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
    },
    "difm",
  ),
  m("pl-software", {
    country: "PL",
    languages: ["pl", "en"],
    industry: "software",
    companySize: "small",
    products: ["marketing_hub"],
  }),
  m(
    "ae-realestate",
    {
      country: "AE",
      languages: ["en"],
      industry: "real_estate",
      companySize: "medium",
      products: ["sales_hub"],
    },
    "difm",
  ),
  m("za-fin", {
    country: "ZA",
    languages: ["en"],
    industry: "financial_services",
    companySize: "large",
    products: ["service_hub"],
  }),
  // Markets where accreditation is not offered: partners are judged on the other criteria.
  m(
    "fr-mfg-crm-paris",
    {
      country: "FR",
      languages: ["fr"],
      industry: "manufacturing",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
      location: PARIS,
    },
    "difm",
    { note: "accreditation not offered (FR)" },
  ),
  m(
    "fr-retail-upmarket",
    {
      country: "FR",
      languages: ["fr"],
      industry: "retail_ecommerce",
      companySize: "large",
      products: ["commerce_hub"],
    },
    "upmarket_referral",
    { note: "FR: the upmarket accreditation rule is waived" },
  ),
  m(
    "fr-por-eligible",
    {
      country: "FR",
      languages: ["fr"],
      industry: "software",
      companySize: "small",
      products: ["marketing_hub"],
    },
    "difm",
    { pickPartnerOfRecord: "@eligible", note: "partner of record (FR)" },
  ),
  m(
    "es-travel-madrid",
    {
      country: "ES",
      languages: ["es"],
      industry: "travel_hospitality",
      companySize: "medium",
      products: ["marketing_hub"],
      needs: ["inbound_marketing"],
      location: MADRID,
    },
    "difm",
    { note: "accreditation not offered (ES)" },
  ),
  m(
    "es-fin-migration-upmarket",
    {
      country: "ES",
      languages: ["es"],
      industry: "financial_services",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_migration"],
    },
    "upmarket_referral",
    { note: "ES: upmarket waived" },
  ),
  m(
    "mx-retail-crm",
    {
      country: "MX",
      languages: ["es"],
      industry: "retail_ecommerce",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "mx-mfg-integration",
    {
      country: "MX",
      languages: ["es", "en"],
      industry: "manufacturing",
      companySize: "large",
      products: ["operations_hub"],
      needs: ["custom_integration"],
    },
    "difm",
    { note: "LATAM" },
  ),
  m(
    "br-education-pt",
    {
      country: "BR",
      languages: ["pt"],
      industry: "education",
      companySize: "medium",
      products: ["marketing_hub"],
    },
    "difm",
    { note: "LATAM" },
  ),
  m(
    "br-software-migration-upmarket",
    {
      country: "BR",
      languages: ["pt"],
      industry: "software",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_migration"],
    },
    "upmarket_referral",
    { note: "LATAM: upmarket waived" },
  ),
  m(
    "co-retail",
    {
      country: "CO",
      languages: ["es"],
      industry: "retail_ecommerce",
      companySize: "small",
      products: ["commerce_hub"],
    },
    "difm",
    { note: "LATAM" },
  ),
  m(
    "ar-software",
    {
      country: "AR",
      languages: ["es"],
      industry: "software",
      companySize: "medium",
      products: ["sales_hub"],
    },
    undefined,
    { note: "LATAM" },
  ),
  // Issue 11: more requests in markets without accreditation, written before looking at any
  // answer: the conditions stand in for accreditation there.
  m(
    "fr-software-onboarding",
    {
      country: "FR",
      languages: ["fr"],
      industry: "software",
      companySize: "small",
      products: ["marketing_hub"],
      needs: ["onboarding"],
    },
    "difm",
    { note: "accreditation not offered (FR)" },
  ),
  m(
    "fr-health-service-lyon",
    {
      country: "FR",
      languages: ["fr"],
      industry: "healthcare",
      companySize: "large",
      products: ["service_hub"],
      needs: ["customer_service_setup"],
      location: LYON,
    },
    "difm",
    { note: "accreditation not offered (FR)" },
  ),
  m(
    "fr-profserv-integration",
    {
      country: "FR",
      languages: ["fr", "en"],
      industry: "professional_services",
      companySize: "medium",
      products: ["operations_hub"],
      needs: ["custom_integration"],
    },
    "partner_collaboration",
    { note: "accreditation not offered (FR)" },
  ),
  m(
    "fr-education-content",
    {
      country: "FR",
      languages: ["fr"],
      industry: "education",
      companySize: "medium",
      products: ["content_hub"],
      needs: ["content_marketing"],
    },
    undefined,
    { note: "accreditation not offered (FR)" },
  ),
  m(
    "es-software-migration",
    {
      country: "ES",
      languages: ["es"],
      industry: "software",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_migration"],
    },
    "difm",
    { note: "accreditation not offered (ES)" },
  ),
  m(
    "es-retail-commerce-barcelona",
    {
      country: "ES",
      languages: ["es"],
      industry: "retail_ecommerce",
      companySize: "small",
      products: ["commerce_hub"],
      needs: ["web_design"],
      location: BARCELONA,
    },
    "difm",
    { note: "accreditation not offered (ES)" },
  ),
  m(
    "es-fin-architecture",
    {
      country: "ES",
      languages: ["es", "en"],
      industry: "financial_services",
      companySize: "enterprise",
      products: ["sales_hub", "service_hub"],
      needs: ["solutions_architecture"],
    },
    "difm",
    { note: "accreditation not offered (ES)" },
  ),
  m(
    "es-realestate-inbound",
    {
      country: "ES",
      languages: ["es"],
      industry: "real_estate",
      companySize: "micro",
      products: ["marketing_hub"],
      needs: ["inbound_marketing"],
    },
    undefined,
    { note: "accreditation not offered (ES)" },
  ),
  m(
    "mx-software-onboarding",
    {
      country: "MX",
      languages: ["es"],
      industry: "software",
      companySize: "small",
      products: ["smart_crm"],
      needs: ["onboarding"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "mx-logistics-revops-cdmx",
    {
      country: "MX",
      languages: ["es"],
      industry: "logistics",
      companySize: "large",
      products: ["operations_hub", "sales_hub"],
      needs: ["revops"],
      location: MEXICO_CITY,
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "mx-education-inbound",
    {
      country: "MX",
      languages: ["es"],
      industry: "education",
      companySize: "medium",
      products: ["marketing_hub"],
      needs: ["inbound_marketing"],
    },
    "partner_collaboration",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "br-retail-commerce",
    {
      country: "BR",
      languages: ["pt"],
      industry: "retail_ecommerce",
      companySize: "medium",
      products: ["commerce_hub"],
      needs: ["crm_implementation"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "br-fin-service-saopaulo",
    {
      country: "BR",
      languages: ["pt"],
      industry: "financial_services",
      companySize: "large",
      products: ["service_hub"],
      needs: ["customer_service_setup"],
      location: SAO_PAULO,
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "br-health-training",
    {
      country: "BR",
      languages: ["pt", "en"],
      industry: "healthcare",
      companySize: "small",
      products: ["smart_crm"],
      needs: ["training"],
    },
    undefined,
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "co-software-crm",
    {
      country: "CO",
      languages: ["es"],
      industry: "software",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "cl-mfg-integration",
    {
      country: "CL",
      languages: ["es"],
      industry: "manufacturing",
      companySize: "large",
      products: ["operations_hub"],
      needs: ["custom_integration"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "ar-media-content",
    {
      country: "AR",
      languages: ["es"],
      industry: "media_publishing",
      companySize: "small",
      products: ["content_hub"],
      needs: ["content_marketing"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "pe-profserv-crm",
    {
      country: "PE",
      languages: ["es"],
      industry: "professional_services",
      companySize: "small",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  m(
    "uy-software-migration",
    {
      country: "UY",
      languages: ["es", "en"],
      industry: "software",
      companySize: "medium",
      products: ["sales_hub"],
      needs: ["crm_migration"],
    },
    "upmarket_referral",
    { note: "LATAM: upmarket waived" },
  ),
  m(
    "cr-travel-onboarding",
    {
      country: "CR",
      languages: ["es"],
      industry: "travel_hospitality",
      companySize: "small",
      products: ["marketing_hub"],
      needs: ["onboarding"],
    },
    "difm",
    { note: "accreditation not offered (LATAM)" },
  ),
  // Issue 11: requests whose needs call for a team (several specialities at once).
  m(
    "us-team-migration-ads-service",
    {
      country: "US",
      languages: ["en"],
      industry: "retail_ecommerce",
      companySize: "medium",
      products: ["sales_hub", "service_hub"],
      needs: ["crm_migration", "paid_ads", "customer_service_setup"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "us-team-architecture-seo",
    {
      country: "US",
      languages: ["en"],
      industry: "software",
      companySize: "enterprise",
      products: ["operations_hub"],
      needs: ["solutions_architecture", "seo", "training"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "de-team-integration-design",
    {
      country: "DE",
      languages: ["de"],
      industry: "manufacturing",
      companySize: "large",
      products: ["operations_hub", "marketing_hub"],
      needs: ["custom_integration", "web_design", "sales_enablement"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "gb-team-revops-content",
    {
      country: "GB",
      languages: ["en"],
      industry: "professional_services",
      companySize: "medium",
      products: ["sales_hub", "content_hub"],
      needs: ["revops", "content_marketing", "reporting_analytics"],
    },
    "partner_collaboration",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "au-team-onboarding-ads",
    {
      country: "AU",
      languages: ["en"],
      industry: "healthcare",
      companySize: "small",
      products: ["marketing_hub"],
      needs: ["onboarding", "paid_ads", "web_design"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "ca-team-migration-training",
    {
      country: "CA",
      languages: ["en", "fr"],
      industry: "financial_services",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_migration", "training", "reporting_analytics"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "nl-team-crm-seo",
    {
      country: "NL",
      languages: ["nl", "en"],
      industry: "retail_ecommerce",
      companySize: "medium",
      products: ["commerce_hub"],
      needs: ["crm_implementation", "seo"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "fr-team-integration-content",
    {
      country: "FR",
      languages: ["fr"],
      industry: "software",
      companySize: "medium",
      products: ["operations_hub", "content_hub"],
      needs: ["custom_integration", "content_marketing", "paid_ads"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "mx-team-crm-service-ads",
    {
      country: "MX",
      languages: ["es"],
      industry: "retail_ecommerce",
      companySize: "medium",
      products: ["sales_hub", "service_hub"],
      needs: ["crm_implementation", "customer_service_setup", "paid_ads"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  m(
    "sg-team-architecture-enablement",
    {
      country: "SG",
      languages: ["en"],
      industry: "logistics",
      companySize: "enterprise",
      products: ["operations_hub", "sales_hub"],
      needs: ["solutions_architecture", "sales_enablement", "revops"],
    },
    "difm",
    { note: "team: needs no single partner covers" },
  ),
  // The gated market: matching is not offered, the finder must refuse.
  m(
    "jp-gated-mfg",
    {
      country: "JP",
      languages: ["ja"],
      industry: "manufacturing",
      companySize: "large",
      products: ["sales_hub"],
      needs: ["crm_implementation"],
    },
    "difm",
    { note: "gated market: expect 422" },
  ),
  m(
    "jp-gated-software",
    { country: "JP", languages: ["en"], industry: "software", companySize: "medium" },
    undefined,
    { note: "gated market: expect 422" },
  ),
];
