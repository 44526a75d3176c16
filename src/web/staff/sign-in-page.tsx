/** @jsxImportSource hono/jsx */
// The staff sign-in form: one password field for a staff token, posted to the same path. The
// way back to the page asked for travels in a hidden field, checked again by the server.
import type { UiLanguage } from "../i18n/languages.js";
import { StaffLayout, translator } from "./staff-layout.js";

interface SignInProps {
  lang: UiLanguage;
  url: URL;
  nonce?: string | undefined;
  returnTo: string;
  /** The last attempt's token was wrong. */
  failed?: boolean;
}

export function signInPage({ lang, url, nonce, returnTo, failed }: SignInProps) {
  const t = translator(lang);
  return (
    <StaffLayout lang={lang} url={url} nonce={nonce} title={t("sign_in_title")}>
      <h1>{t("sign_in_title")}</h1>
      <p>{t("sign_in_intro")}</p>
      <form method="post" action={`/staff/sign-in?lang=${lang}`}>
        <input type="hidden" name="return" value={returnTo} />
        <div class={failed ? "field invalid" : "field"}>
          <label for="token">{t("token")}</label>
          <input
            type="password"
            id="token"
            name="token"
            required
            autocomplete="current-password"
            aria-invalid={failed ? "true" : undefined}
            aria-describedby={failed ? "token-error" : undefined}
          />
          {failed ? (
            <p class="error" id="token-error" role="alert">
              {t("token")}: {t("wrong_token")}
            </p>
          ) : null}
        </div>
        <p>
          <button type="submit">{t("sign_in")}</button>
        </p>
      </form>
    </StaffLayout>
  );
}

/** A form POST refused by the cross-site check: said as a page, with the way back. */
export function refusedFormPage({ lang, url, nonce }: Omit<SignInProps, "returnTo" | "failed">) {
  const t = translator(lang);
  return (
    <StaffLayout lang={lang} url={url} nonce={nonce} title={t("csrf_title")}>
      <h1>{t("csrf_title")}</h1>
      <p>{t("csrf_body")}</p>
      <p>
        <a href={`/staff/sign-in?lang=${lang}`}>{t("back_to_sign_in")}</a>
      </p>
    </StaffLayout>
  );
}
