// The intended direction of dependencies in src/, checked by `npm run check` (DESIGN.md):
// entry points (node.ts, worker.ts, deps.ts, config.ts, edge/) -> http/ -> web/ ->
// ranking/, partner/, search/ -> catalog/ -> lib/. search/ may use ranking/'s plans and rule
// predicates (it translates them); ranking/ never imports a backend. audit/ (the finder's audit
// sinks) uses lib/ only; http/ and the entry points use it. Type-only imports count.
const layer = (name, from, mayUse) => ({
  name,
  severity: "error",
  comment: `${from} may import only ${mayUse.join(", ")} (and packages)`,
  from: { path: `^src/${from}/` },
  to: { path: "^src/", pathNot: `^src/(${[from, ...mayUse].join("|")})/` },
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "a cycle makes two modules one: neither can be understood or tested alone",
      from: {},
      to: { circular: true },
    },
    layer("lib-is-a-leaf", "lib", []),
    layer("catalog", "catalog", ["lib"]),
    layer("audit", "audit", ["lib"]),
    layer("partner", "partner", ["catalog", "lib"]),
    layer("ranking", "ranking", ["partner", "catalog", "lib"]),
    layer("search", "search", ["ranking", "partner", "catalog", "lib"]),
    layer("web", "web", ["ranking", "partner", "catalog", "lib"]),
    layer("http", "http", ["audit", "web", "search", "ranking", "partner", "catalog", "lib"]),
    {
      name: "entry-points-are-roots",
      severity: "error",
      comment: "nothing imports an entry point; configuration reaches modules as arguments",
      from: { path: "^src/" },
      to: { path: "^src/(node|worker)\\.(ts|tsx)$" },
    },
    {
      name: "config-is-read-by-entry-points",
      severity: "error",
      comment: "only entry points and the composition root read the configuration schema",
      from: { path: "^src/(lib|audit|catalog|partner|ranking|search|web|http)/" },
      to: { path: "^src/config\\.ts$" },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/edge/empty-module\\.ts$" },
  },
};
