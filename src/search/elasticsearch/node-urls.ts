// What ELASTICSEARCH_URL names, apart from the client: configuration parsing needs it, and a
// Worker that never talks to a cluster must not evaluate the client's modules at start-up.

/** The nodes an ELASTICSEARCH_URL names: one URL, or several separated by commas. */
export function nodeUrls(url: string): string[] {
  return url
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
}
