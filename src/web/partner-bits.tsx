/** @jsxImportSource hono/jsx */
// Pieces a directory card and a profile page show alike: badges and review stars.
import type { Catalog } from "../catalog/catalog.js";
import type { PageText } from "./i18n/directory-messages.js";
import { formatters } from "./i18n/languages.js";

/**
 * A badge's name for people. Badge codes are catalog data (a tier's or a level's badge, one per
 * accreditation), so they are named from the catalog rather than from a second table here.
 */
export function badgeName(catalog: Catalog, text: PageText, badge: string): string {
  if (badge === "top_rated") return text.t("badgeTopRated");
  if (badge.startsWith("accredited_")) {
    const code = badge.slice("accredited_".length);
    return text.t("badgeAccredited", { name: catalog.label("accreditation", code, text.lang) });
  }
  const tier = catalog.data.tiers.find((x) => x.badge === badge);
  if (tier) return text.t("badgeTier", { tier: catalog.label("tier", tier.code, text.lang) });
  const level = catalog.data.programLevels.find((x) => x.badge === badge);
  if (level) return catalog.label("programLevel", level.code, text.lang);
  return badge.replace(/_/g, " ");
}

export function Badges(props: { catalog: Catalog; text: PageText; badges: readonly string[] }) {
  if (props.badges.length === 0) return null;
  return (
    <ul class="badges">
      {props.badges.map((b) => (
        <li
          class={
            b.startsWith("accredited_") ? "badge acc" : b === "top_rated" ? "badge top" : "badge"
          }
          data-badge={b}
        >
          {badgeName(props.catalog, props.text, b)}
        </li>
      ))}
    </ul>
  );
}

/** Stars for people who see them, the same rating in words for those who hear the page. */
export function Stars(props: { text: PageText; reviews: { count: number; average: number } }) {
  const { text, reviews } = props;
  if (reviews.count === 0) return <span class="muted">{text.t("noReviews")}</span>;
  const f = formatters(text.lang);
  const full = Math.round(reviews.average);
  const average = f.decimal(reviews.average);
  return (
    <span class="rating">
      <span class="stars" role="img" aria-label={text.t("starsAlt", { average })}>
        {"★".repeat(full)}
        {"☆".repeat(Math.max(0, 5 - full))}
      </span>{" "}
      {average} ({text.count("reviewsCount", reviews.count)})
    </span>
  );
}
