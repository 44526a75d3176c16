// Stands in for `undici` in the Worker bundle (wrangler.toml [alias]): the Elasticsearch client
// imports it for its default connection, which the Worker never uses (it passes FetchConnection),
// and undici's socket code is dead weight in workerd. Nothing here may be called.
export {};
