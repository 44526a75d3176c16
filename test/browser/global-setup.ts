// Global setup of the "browser" test project: the tests drive Debian's Chromium. When it is
// missing, `npm test` installs it (as root, the way this machine and CI run) or stops with one
// line saying how, so `npm ci && npm test` works on a fresh machine with no other step.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export default function setup() {
  ensureChromium();
}

/** Chromium at CHROMIUM_PATH or /usr/bin/chromium, installed first when missing and allowed. */
export function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted) {
    if (!existsSync(wanted)) throw new Error(`CHROMIUM_PATH=${wanted} does not exist`);
    return;
  }
  if (existsSync(DEFAULT_CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Chromium is missing at ${DEFAULT_CHROMIUM}: install it with \`sudo apt-get install chromium\` (or set CHROMIUM_PATH), then run npm test again`,
    );
  }
  console.log(`[browser] ${DEFAULT_CHROMIUM} is missing: installing Debian's chromium (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  if (!existsSync(DEFAULT_CHROMIUM)) {
    throw new Error(`apt-get installed chromium but ${DEFAULT_CHROMIUM} is still missing`);
  }
}
