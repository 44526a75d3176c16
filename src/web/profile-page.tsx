/** @jsxImportSource hono/jsx */
// One partner's public profile as a page, and the page for an id that is not listed. It reads
// only the public projection (partner/public-profile.ts), so nothing internal can reach it.
import type { Catalog, CodeKind } from "../catalog/catalog.js";
import type { PublicProfile } from "../partner/public-profile.js";
import type { DirectoryMessageKey, PageText } from "./i18n/directory-messages.js";
import { formatters } from "./i18n/languages.js";
import { Layout } from "./layout.js";
import { Badges, Stars } from "./partner-bits.js";

interface Common {
  catalog: Catalog;
  text: PageText;
  nonce?: string | undefined;
  alternates: { hreflang: string; href: string }[];
  /** The search this visit came from, to go back to it. */
  backHref: string;
}

const STYLE = `.profile{max-width:52rem}.profile dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.3rem 1rem}
.profile dt{font-weight:600}.profile dd{margin:0}.profile ul.plain{padding-left:1.2rem;margin:.2rem 0}
.profile section{border-top:1px solid #ddd;margin-top:1rem}.back{display:inline-block;margin:.2rem 0 .6rem}
.profile{overflow-wrap:anywhere}@media (max-width:30rem){.profile dl{grid-template-columns:minmax(0,1fr)}}`;

/** Only a web address can be a link: a feed's "javascript:..." stays text. */
function webUrl(s: string | undefined): string | undefined {
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function profilePage(props: Common & { profile: PublicProfile; canonical: string }) {
  const { catalog, text, nonce, alternates, backHref, profile: p, canonical } = props;
  const { t } = text;
  const f = formatters(text.lang);
  const label = (kind: CodeKind, code: string) => catalog.label(kind, code, text.lang);
  const website = webUrl(p.website);
  const money = new Intl.NumberFormat(text.lang, {
    style: "currency",
    currency: "USD",
    maximumFractionDigits: 0,
  });
  const list = (heading: DirectoryMessageKey, id: string, items: string[]) =>
    items.length > 0 && (
      <section aria-labelledby={id}>
        <h2 id={id}>{t(heading)}</h2>
        <ul class="plain">
          {items.map((x) => (
            <li>{x}</li>
          ))}
        </ul>
      </section>
    );
  // A market is a country code or a region name of the geography file ("DACH").
  const market = (m: string) => (/^[A-Z]{2}$/.test(m) ? f.region(m) : m);
  return (
    <Layout
      text={text}
      title={t("profileTitle", { name: p.name })}
      nonce={nonce}
      alternates={alternates}
      canonical={canonical}
      skip={{ href: "#main", label: t("skipToContent") }}
      style={STYLE}
    >
      <main class="page-wrap profile" id="main" tabindex={-1} data-id={p.id}>
        <a class="back" href={backHref}>
          ← {t("backToSearch")}
        </a>
        <h1>{p.name}</h1>
        <Badges catalog={catalog} text={text} badges={p.badges} />
        <p>
          <Stars text={text} reviews={p.reviews} />
        </p>
        {website && (
          <p>
            <a href={website} rel="noopener">
              {t("website")}: {new URL(website).host}
            </a>
          </p>
        )}
        <section aria-labelledby="about-h">
          <h2 id="about-h">{t("aboutHeading")}</h2>
          <p class="desc">{p.description}</p>
        </section>
        <section aria-labelledby="facts-h">
          <h2 id="facts-h">{t("factsHeading")}</h2>
          <dl>
            <dt>{t("programLevel")}</dt>
            <dd>{label("programLevel", p.programLevel)}</dd>
            <dt>{t("tier")}</dt>
            <dd>{label("tier", p.tier)}</dd>
            <dt>{t("certifications")}</dt>
            <dd>{f.number(p.certificationsCount)}</dd>
            <dt>{t("reviews")}</dt>
            <dd>
              <Stars text={text} reviews={p.reviews} />
            </dd>
            {p.minProjectBudgetUsd !== undefined && (
              <>
                <dt>{t("minBudget")}</dt>
                <dd>{money.format(p.minProjectBudgetUsd)}</dd>
              </>
            )}
            <dt>{t("updatedAt")}</dt>
            <dd>
              <time datetime={p.updatedAt}>{f.date(p.updatedAt)}</time>
            </dd>
          </dl>
        </section>
        <section aria-labelledby="acc-h">
          <h2 id="acc-h">{t("accreditationsHeading")}</h2>
          {p.accreditations.length === 0 ? (
            <p>{t("noAccreditations")}</p>
          ) : (
            <ul class="plain">
              {p.accreditations.map((a) => {
                const name = label("accreditation", a.code);
                return (
                  <li>{a.since ? t("accreditedSince", { name, date: f.date(a.since) }) : name}</li>
                );
              })}
            </ul>
          )}
        </section>
        {list(
          "locationsHeading",
          "loc-h",
          p.locations.map((l) => `${l.city}, ${f.region(l.country)}`),
        )}
        {list("marketsHeading", "mkt-h", p.markets.map(market))}
        {list(
          "languagesHeading",
          "lang-h",
          p.languages.map((l) => f.language(l)),
        )}
        {list(
          "industriesHeading",
          "ind-h",
          p.industries.map((x) => label("industry", x)),
        )}
        {list(
          "servicesHeading",
          "svc-h",
          p.services.map((x) => label("service", x)),
        )}
        {list(
          "productsHeading",
          "prd-h",
          p.products.map((x) => label("product", x)),
        )}
        {list(
          "customerSizesHeading",
          "size-h",
          p.customerSizes.map((x) => label("customerSize", x)),
        )}
      </main>
    </Layout>
  );
}

/** The page for an id the directory does not list (answered with status 404). */
export function notFoundPage(props: Common) {
  const { text, nonce, alternates, backHref } = props;
  const { t } = text;
  return (
    <Layout
      text={text}
      title={t("notFoundTitle")}
      nonce={nonce}
      alternates={alternates}
      skip={{ href: "#main", label: t("skipToContent") }}
    >
      <main class="page-wrap" id="main" tabindex={-1}>
        <h1>{t("notFoundTitle")}</h1>
        <p>{t("notFoundText")}</p>
        <p>
          <a href={backHref}>{t("toDirectory")}</a>
        </p>
      </main>
    </Layout>
  );
}
