/** @jsxImportSource hono/jsx */
// The shell every public page shares: language attribute, viewport, hreflang alternates, the
// skip link and the language menu. The menu is one <details> (one Tab stop), so the search box
// stays within three Tab presses: skip link, language menu, search.
import type { Child } from "hono/jsx";
import { LANGUAGE_NAMES, type PageText } from "./i18n/directory-messages.js";
import { UI_LANGUAGES } from "./i18n/languages.js";

export interface LayoutProps {
  text: PageText;
  title: string;
  /** The response's CSP nonce: the style block and the script tag carry it. */
  nonce?: string | undefined;
  /** `<link rel="alternate" hreflang>` targets: the same page in every language. */
  alternates: { hreflang: string; href: string }[];
  canonical?: string | undefined;
  skip: { href: string; label: string };
  /** Extra CSS of this page. */
  style?: string;
  script?: string | undefined;
  children: Child;
}

export const BASE_STYLE = `*,*::before,*::after{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
a{color:#0b4f8a}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #c25400;outline-offset:2px}
header.site{background:#12343b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem}
header.site a{color:#fff}header.site .brand{font-weight:600}
details.lang{position:relative}details.lang summary{cursor:pointer;padding:.2rem .4rem}
details.lang ul{position:absolute;right:0;z-index:2;list-style:none;margin:.3rem 0 0;padding:.3rem 0;background:#fff;border:1px solid #aaa;border-radius:6px;min-width:9rem}
details.lang li a{display:block;padding:.3rem .8rem;color:#0b4f8a}details.lang li a[aria-current]{font-weight:700}
.skip{position:absolute;left:-999rem}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#12343b;padding:.3rem .6rem;z-index:3}
h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.2rem}h3{font-size:1.05rem}
.badge{display:inline-block;font-size:.8rem;padding:.05rem .5rem;border-radius:99px;background:#e8ecf7;color:#1b2a4a;margin:0 .3rem .2rem 0}
.badge.acc{background:#d8f3e6;color:#0b4430}.badge.top{background:#fdf0d0;color:#5a3d00}
ul.badges{list-style:none;padding:0;margin:.2rem 0;display:flex;flex-wrap:wrap}
.stars{color:#8a5a00;letter-spacing:.05em}.muted{color:#555}
button,input,select{font:inherit}button{cursor:pointer}
.page-wrap{max-width:76rem;margin:auto;padding:1rem}`;

export function Layout(props: LayoutProps) {
  const { text, title, nonce, alternates, canonical, skip, style, script, children } = props;
  const here = alternates.find((a) => a.hreflang === text.lang)?.href;
  return (
    <html lang={text.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {canonical && <link rel="canonical" href={canonical} />}
        {alternates.map((a) => (
          <link rel="alternate" hreflang={a.hreflang} href={a.href} />
        ))}
        <style nonce={nonce}>{`${BASE_STYLE}\n${style ?? ""}`}</style>
        {script && <script nonce={nonce} src={script} defer />}
      </head>
      <body>
        <a class="skip" href={skip.href}>
          {skip.label}
        </a>
        <header class="site">
          {/* Not a link: every Tab stop before the search box counts (skip link, menu, search). */}
          <span class="brand">{text.t("siteName")}</span>
          <details class="lang">
            <summary>{text.t("languageMenu", { language: LANGUAGE_NAMES[text.lang] })}</summary>
            <ul>
              {UI_LANGUAGES.map((l) => {
                const href = alternates.find((a) => a.hreflang === l)?.href ?? here ?? "#";
                return (
                  <li>
                    <a
                      href={relative(href)}
                      hreflang={l}
                      lang={l}
                      aria-current={l === text.lang ? "true" : undefined}
                    >
                      {LANGUAGE_NAMES[l]}
                    </a>
                  </li>
                );
              })}
            </ul>
          </details>
        </header>
        {children}
      </body>
    </html>
  );
}

/** A same-site link as path and query: pages never link to a host they were asked by name. */
export function relative(href: string): string {
  const u = new URL(href);
  return `${u.pathname}${u.search}`;
}
