/** @jsxImportSource hono/jsx */
// The directory's filters: every field as a multi-select facet with counts (the first values
// shown, the rest behind "show more"), and the selected values as removable chips.
import type { CodeKind } from "../catalog/catalog.js";
import { FILTER_FIELD_KIND, FILTER_FIELDS } from "../ranking/directory.js";
import {
  CATALOG_ORDER,
  type DirectoryPageProps,
  type DirectoryView,
  directoryHref,
  FACET_VISIBLE,
  FIELD_KEYS,
  NARROWING,
  valueNamer,
} from "./directory-model.js";
import { formatters } from "./i18n/languages.js";

export function Facets(props: DirectoryPageProps & { answer: DirectoryView }) {
  const { catalog, text, state, answer } = props;
  const { t } = text;
  const name = valueNamer(catalog, text);
  const number = formatters(text.lang).number;
  return (
    <>
      {FILTER_FIELDS.map((field) => {
        const counts = answer.facets[field] ?? {};
        const selected = new Set(state.getAll(field));
        if (field === "accredited") {
          return (
            <fieldset data-facet={field}>
              <legend>{t(FIELD_KEYS[field])}</legend>
              <label>
                <input
                  type="checkbox"
                  name="accredited"
                  value="true"
                  form="f"
                  checked={selected.has("true")}
                />{" "}
                {t("accreditedOnly")} <span class="count">({number(counts.true ?? 0)})</span>
              </label>
            </fieldset>
          );
        }
        const kind = FILTER_FIELD_KIND[field] as CodeKind;
        const order = CATALOG_ORDER.has(field)
          ? catalog.lists[kind]
          : Object.keys(counts).sort(
              (a, b) =>
                (counts[b] ?? 0) - (counts[a] ?? 0) ||
                name(field, a).localeCompare(name(field, b), text.lang),
            );
        const values = [
          ...[...selected].filter((v) => catalog.codes[kind].has(v)),
          ...order.filter((v) => !selected.has(v) && (counts[v] ?? 0) > 0),
        ];
        if (values.length === 0) return null;
        const item = (v: string) => (
          <li>
            <label>
              <input type="checkbox" name={field} value={v} form="f" checked={selected.has(v)} />
              <span>
                {name(field, v)} <span class="count">({number(counts[v] ?? 0)})</span>
              </span>
            </label>
          </li>
        );
        const shown = values.slice(0, FACET_VISIBLE);
        const more = values.slice(FACET_VISIBLE);
        return (
          <fieldset data-facet={field}>
            <legend>{t(FIELD_KEYS[field])}</legend>
            <ul>{shown.map(item)}</ul>
            {more.length > 0 && (
              <details>
                <summary>{t("showMore", { count: number(more.length) })}</summary>
                <ul>{more.map(item)}</ul>
              </details>
            )}
          </fieldset>
        );
      })}
      <button type="submit" form="f">
        {t("applyFilters")}
      </button>
    </>
  );
}

export function Chips({ catalog, text, state }: DirectoryPageProps) {
  const { t } = text;
  const name = valueNamer(catalog, text);
  const chips: { label: string; value: string; href: string }[] = [];
  for (const field of FILTER_FIELDS) {
    const values = state.getAll(field);
    for (const v of values) {
      chips.push({
        label: t(FIELD_KEYS[field]),
        value: name(field, v),
        href: directoryHref(state, { [field]: values.filter((x) => x !== v) }),
      });
    }
  }
  if (state.has("near")) {
    chips.push({
      label: t("nearLabel"),
      value: state.get("near") ?? "",
      href: directoryHref(state, {
        near: undefined,
        radiusKm: undefined,
        ...(state.get("sort") === "distance" ? { sort: undefined } : {}),
      }),
    });
  }
  if (state.has("budgetUsd")) {
    chips.push({
      label: t("budgetLabel"),
      value: state.get("budgetUsd") ?? "",
      href: directoryHref(state, { budgetUsd: undefined }),
    });
  }
  if (chips.length === 0) return null;
  const cleared = new URLSearchParams(
    [...state].filter(([k]) => !NARROWING.has(k) && !(k === "sort" && state.has("near"))),
  );
  return (
    <nav aria-label={t("selectedFilters")} class="chips">
      <ul class="chips">
        {chips.map((c) => (
          <li>
            <a
              href={c.href}
              class="chip"
              aria-label={t("removeFilter", { filter: c.label, value: c.value })}
            >
              {c.value} <span aria-hidden="true">×</span>
            </a>
          </li>
        ))}
        <li>
          <a href={directoryHref(cleared)} class="clear-all">
            {t("clearAll")}
          </a>
        </li>
      </ul>
    </nav>
  );
}
