/** @jsxImportSource hono/jsx */
// The frame every staff page shares: the interface language (lang attribute, hreflang
// alternates, a switcher made of plain links), a skip link, the signed-in caller with a sign-out
// form, and the one style block, which carries the response's CSP nonce. No script anywhere.

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { formatters, languageAlternates, translate, type UiLanguage } from "../i18n/languages.js";
import { STAFF_MESSAGES, type StaffKey } from "../i18n/staff-messages.js";

export type T = (key: StaffKey, vars?: Record<string, string | number>) => string;

export function translator(lang: UiLanguage): T {
  return (key, vars) => translate(STAFF_MESSAGES, lang, key, vars);
}

/** Bar widths as classes (w0..w100): the CSP allows no inline style attributes. */
const BAR_WIDTHS = Array.from({ length: 101 }, (_, i) => `.w${i}{width:${i}%}`).join("");

const STYLE = `*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header.top{background:#12343b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
header.top .brand{font-weight:600;margin-right:auto}header.top a{color:#fff}
header.top form{margin:0}nav.langs ul{display:flex;gap:.6rem;list-style:none;margin:0;padding:0}
nav.langs a[aria-current]{font-weight:700;text-decoration:none}
main{max-width:68rem;margin:auto;padding:1rem}h1{font-size:1.5rem;margin:.2rem 0 .6rem}
h2{font-size:1.2rem;margin:1.4rem 0 .5rem}h3{font-size:1.05rem;margin:0 0 .3rem}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #c75b00;outline-offset:2px}
.skip{position:absolute;left:-999rem}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#12343b;padding:.3rem .6rem;z-index:1}
fieldset{border:1px solid #ccc;border-radius:6px;margin:0 0 1rem;padding:.6rem .8rem;min-width:0}
legend{font-weight:600;padding:0 .3rem}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.8rem}
.field{display:flex;flex-direction:column;gap:.2rem;min-width:0}
.field label,.field .label{font-weight:600;font-size:.9rem}
input,select,button{font:inherit;max-width:100%}input[type=text],input[type=password],input[type=search],input[type=url],select{padding:.35rem;border:1px solid #767676;border-radius:4px;width:100%}
fieldset.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.1rem .8rem}
fieldset.checks legend{font-size:.9rem}.check{display:flex;gap:.4rem;align-items:flex-start}
.hint{font-size:.85rem;color:#444;margin:0}.error{color:#a00000;font-weight:600;margin:0}
.field.invalid input,.field.invalid select{border-color:#a00000;border-width:2px}
.errors{background:#fde8e8;border:1px solid #a00000;padding:.6rem 1rem;border-radius:6px}
button{background:#12343b;color:#fff;border:0;border-radius:4px;padding:.5rem 1.1rem;cursor:pointer}
button.link{background:none;color:#fff;text-decoration:underline;padding:0}
.notice{background:#fff6db;border:1px solid #b38600;padding:.6rem 1rem;border-radius:6px}
ol.candidates{list-style:none;padding:0;margin:0}
li.candidate{border:1px solid #d6d6d6;border-radius:8px;padding:.8rem 1rem;margin-bottom:.8rem;overflow-wrap:break-word;hyphens:auto}
li.candidate.accredited{border-left:6px solid #1d7a58}
.tags{display:flex;flex-wrap:wrap;gap:.3rem;margin:.2rem 0}.tag{font-size:.8rem;padding:.05rem .5rem;border-radius:99px;background:#e8eef7}
.tag.acc{background:#d8f3e6;color:#0d5036}.tag.rot{background:#fff0c2;color:#5a4300}
dl.facts{display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:.1rem .8rem;margin:.5rem 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.2rem .4rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
th .hint{font-weight:400;display:block}td.share,th.share{width:40%}
.share-cell{display:flex;gap:.5rem;align-items:center}.pct{min-width:3.2rem;text-align:right}
.track{display:block;flex:1;background:#e6e6e6;border-radius:3px;height:.8rem;min-width:2.5rem}.bar{display:block;background:#2a6f97;height:100%;border-radius:3px}
p.rotates{margin:.2rem 0 .6rem;font-size:.9rem}
.share input{font-family:ui-monospace,monospace;font-size:.85rem}
table.breakdown{table-layout:fixed}table.breakdown th.sig{overflow-wrap:anywhere;hyphens:auto}table.breakdown .num{width:4.5rem}
table.excluded{width:auto;min-width:min(100%,32rem)}caption{text-align:left;font-weight:600;padding:.3rem 0}
@media (max-width:40rem){main{padding:.6rem}li.candidate{padding:.6rem}td.share,th.share{width:34%}.track{min-width:1.5rem}.pct{min-width:2.6rem}dl.facts{grid-template-columns:1fr}}
${BAR_WIDTHS}`;

interface LayoutProps {
  lang: UiLanguage;
  url: URL;
  title: string;
  nonce?: string | undefined;
  /** Shown with a sign-out button when someone is signed in. */
  caller?: string | undefined;
  children?: Child;
}

export function StaffLayout({ lang, url, title, nonce, caller, children }: LayoutProps) {
  const t = translator(lang);
  const alternates = languageAlternates(url);
  const pathOf = (href: string) => {
    const u = new URL(href);
    return `${u.pathname}${u.search}`;
  };
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        {alternates.map((a) => (
          <link rel="alternate" hreflang={a.hreflang} href={a.href} />
        ))}
        <style nonce={nonce}>{raw(STYLE)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          {t("skip")}
        </a>
        <header class="top">
          <span class="brand">{t("staff_area")}</span>
          <nav class="langs" aria-label={t("language")}>
            <ul>
              {alternates
                .filter((a) => a.hreflang !== "x-default")
                .map((a) => (
                  <li>
                    <a
                      href={pathOf(a.href)}
                      hreflang={a.hreflang}
                      lang={a.hreflang}
                      aria-current={a.hreflang === lang ? "true" : undefined}
                    >
                      {formatters(a.hreflang as UiLanguage).language(a.hreflang)}
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
          {caller ? (
            <form method="post" action={`/staff/sign-out?lang=${lang}`}>
              <span>{t("signed_in_as", { label: caller })}</span>{" "}
              <button type="submit" class="link">
                {t("sign_out")}
              </button>
            </form>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
