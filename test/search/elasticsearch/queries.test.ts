// The generated Elasticsearch requests, pinned as inline snapshots: a change in the query shape
// shows up in review as a diff of the DSL itself.
import { describe, expect, it } from "vitest";
import { defaultCatalog } from "../../../src/catalog/catalog.js";
import catalogJson from "../../../src/catalog/data/catalog.json" with { type: "json" };
import geographyJson from "../../../src/catalog/data/geography.json" with { type: "json" };
import { defaultPolicy } from "../../../src/catalog/policy.js";
import { buildDirectoryPlan, type DirectoryQuery } from "../../../src/ranking/directory.js";
import { queryWords } from "../../../src/ranking/tokenize.js";
import { candidatesSearch } from "../../../src/search/elasticsearch/candidate-queries.js";
import {
  directoryResult,
  directorySearches,
  facetSizes,
  relaxCountSearch,
  relaxCounts,
  textQuery,
} from "../../../src/search/elasticsearch/queries.js";

const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const sizes = facetSizes(catalog);
const directory = policy.data.directory;
/** Fixed weights, so that a policy edit does not churn these snapshots. */
const weights = { text: 1, tier: 0.5, reviews: 0.3, certifications: 0.1 };
const plan = (q: Partial<DirectoryQuery>) => ({
  ...buildDirectoryPlan({ filters: {}, page: 1, pageSize: 20, sort: "relevance", ...q }, policy),
  weights,
});

/** The page's search alone. */
const pageSearch = (...args: Parameters<typeof directorySearches>) => {
  const hits = directorySearches(...args).hits;
  if (!hits) throw new Error("no page search");
  return hits;
};

describe("directorySearches", () => {
  it("filter-only relevance: sorts on indexed values; size-0 searches count the total and the disjunctive facets", () => {
    const req = directorySearches(
      {
        ...plan({ filters: { country: ["DE", "AT"], tier: ["gold"] } }),
        facets: ["country", "tier", "language"],
      },
      "partners",
      sizes,
      directory,
    );
    expect(req).toMatchInlineSnapshot(`
      {
        "count": {
          "aggs": {
            "language": {
              "terms": {
                "field": "search.facets.language",
                "min_doc_count": 1,
                "size": 183,
              },
            },
          },
          "index": "partners",
          "query": {
            "bool": {
              "filter": [
                {
                  "term": {
                    "search.listed": true,
                  },
                },
                {
                  "terms": {
                    "search.facets.country": [
                      "DE",
                      "AT",
                    ],
                  },
                },
                {
                  "terms": {
                    "search.facets.tier": [
                      "gold",
                    ],
                  },
                },
              ],
            },
          },
          "size": 0,
          "track_total_hits": true,
        },
        "hits": {
          "_source": {
            "excludes": [
              "internal",
            ],
          },
          "docvalue_fields": [
            "search.staticBoost",
          ],
          "from": 0,
          "index": "partners",
          "query": {
            "bool": {
              "filter": [
                {
                  "term": {
                    "search.listed": true,
                  },
                },
                {
                  "terms": {
                    "search.facets.country": [
                      "DE",
                      "AT",
                    ],
                  },
                },
                {
                  "terms": {
                    "search.facets.tier": [
                      "gold",
                    ],
                  },
                },
              ],
            },
          },
          "size": 20,
          "sort": [
            {
              "search.accredited": "desc",
            },
            {
              "search.staticBoost": "desc",
            },
            {
              "id": "asc",
            },
          ],
          "track_total_hits": false,
        },
        "own": [
          {
            "field": "country",
            "request": {
              "aggs": {
                "country": {
                  "terms": {
                    "field": "search.facets.country",
                    "min_doc_count": 1,
                    "size": 249,
                  },
                },
              },
              "index": "partners",
              "query": {
                "bool": {
                  "filter": [
                    {
                      "term": {
                        "search.listed": true,
                      },
                    },
                    {
                      "terms": {
                        "search.facets.tier": [
                          "gold",
                        ],
                      },
                    },
                  ],
                },
              },
              "size": 0,
              "track_total_hits": false,
            },
          },
          {
            "field": "tier",
            "request": {
              "aggs": {
                "tier": {
                  "terms": {
                    "field": "search.facets.tier",
                    "min_doc_count": 1,
                    "size": 5,
                  },
                },
              },
              "index": "partners",
              "query": {
                "bool": {
                  "filter": [
                    {
                      "term": {
                        "search.listed": true,
                      },
                    },
                    {
                      "terms": {
                        "search.facets.country": [
                          "DE",
                          "AT",
                        ],
                      },
                    },
                  ],
                },
              },
              "size": 0,
              "track_total_hits": false,
            },
          },
        ],
      }
    `);
  });

  it("text: boosted per-field term queries summed, plus the static boost, accredited first", () => {
    const req = pageSearch(
      { ...plan({ q: "CRM Hamburg", page: 3, pageSize: 10 }), facets: [] },
      "partners",
      sizes,
      directory,
    );
    expect(req).toMatchInlineSnapshot(`
      {
        "_source": {
          "excludes": [
            "internal",
          ],
        },
        "from": 20,
        "index": "partners",
        "query": {
          "function_score": {
            "boost_mode": "sum",
            "functions": [
              {
                "field_value_factor": {
                  "factor": 1,
                  "field": "search.staticBoost",
                  "missing": 0,
                },
              },
            ],
            "query": {
              "bool": {
                "filter": [
                  {
                    "term": {
                      "search.listed": true,
                    },
                  },
                ],
                "must": [
                  {
                    "bool": {
                      "boost": 1,
                      "must": [
                        {
                          "bool": {
                            "minimum_should_match": 1,
                            "should": [
                              {
                                "term": {
                                  "search.text.name": {
                                    "boost": 1.3636363636363635,
                                    "value": "crm",
                                  },
                                },
                              },
                              {
                                "term": {
                                  "search.text.city": {
                                    "boost": 0.9090909090909091,
                                    "value": "crm",
                                  },
                                },
                              },
                              {
                                "term": {
                                  "search.text.services": {
                                    "boost": 0.6818181818181818,
                                    "value": "crm",
                                  },
                                },
                              },
                              {
                                "term": {
                                  "search.text.description": {
                                    "boost": 0.45454545454545453,
                                    "value": "crm",
                                  },
                                },
                              },
                            ],
                          },
                        },
                        {
                          "bool": {
                            "minimum_should_match": 1,
                            "should": [
                              {
                                "term": {
                                  "search.text.name": {
                                    "boost": 1.3636363636363635,
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "prefix": {
                                  "search.text.name": {
                                    "boost": 1.5,
                                    "rewrite": "constant_score",
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "fuzzy": {
                                  "search.text.name": {
                                    "boost": 1.5,
                                    "fuzziness": 1,
                                    "prefix_length": 0,
                                    "rewrite": "constant_score",
                                    "transpositions": true,
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "term": {
                                  "search.text.city": {
                                    "boost": 0.9090909090909091,
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "prefix": {
                                  "search.text.city": {
                                    "boost": 1,
                                    "rewrite": "constant_score",
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "fuzzy": {
                                  "search.text.city": {
                                    "boost": 1,
                                    "fuzziness": 1,
                                    "prefix_length": 0,
                                    "rewrite": "constant_score",
                                    "transpositions": true,
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "term": {
                                  "search.text.services": {
                                    "boost": 0.6818181818181818,
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "prefix": {
                                  "search.text.services": {
                                    "boost": 0.75,
                                    "rewrite": "constant_score",
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "fuzzy": {
                                  "search.text.services": {
                                    "boost": 0.75,
                                    "fuzziness": 1,
                                    "prefix_length": 0,
                                    "rewrite": "constant_score",
                                    "transpositions": true,
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "term": {
                                  "search.text.description": {
                                    "boost": 0.45454545454545453,
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "prefix": {
                                  "search.text.description": {
                                    "boost": 0.5,
                                    "rewrite": "constant_score",
                                    "value": "hamburg",
                                  },
                                },
                              },
                              {
                                "fuzzy": {
                                  "search.text.description": {
                                    "boost": 0.5,
                                    "fuzziness": 1,
                                    "prefix_length": 0,
                                    "rewrite": "constant_score",
                                    "transpositions": true,
                                    "value": "hamburg",
                                  },
                                },
                              },
                            ],
                          },
                        },
                      ],
                    },
                  },
                ],
              },
            },
            "score_mode": "sum",
          },
        },
        "size": 10,
        "sort": [
          {
            "search.accredited": "desc",
          },
          {
            "_score": {
              "order": "desc",
            },
          },
          {
            "id": "asc",
          },
        ],
        "track_total_hits": false,
      }
    `);
  });

  it("text with a field sort keeps scores for display", () => {
    const req = pageSearch(
      { ...plan({ q: "seo", sort: "rating" }), facets: [] },
      "p",
      sizes,
      directory,
    );
    expect(req.sort).toMatchInlineSnapshot(`
      [
        {
          "search.rating": "desc",
        },
        {
          "search.reviewCount": "desc",
        },
        {
          "id": "asc",
        },
      ]
    `);
    expect(req.track_scores).toBe(true);
  });

  it("sorts by tier and by name with the id as the last tie-break", () => {
    expect(
      pageSearch({ ...plan({ sort: "tier" }), facets: [] }, "p", sizes, directory).sort,
    ).toMatchInlineSnapshot(`
        [
          {
            "search.tierRank": "desc",
          },
          {
            "search.rating": "desc",
          },
          {
            "id": "asc",
          },
        ]
      `);
    expect(
      pageSearch({ ...plan({ sort: "name" }), facets: [] }, "p", sizes, directory).sort,
    ).toMatchInlineSnapshot(`
        [
          {
            "search.nameKey": "asc",
          },
          {
            "id": "asc",
          },
        ]
      `);
  });

  it("near and budget narrow the query (so facets count them); distance sorts by arc km, min over points", () => {
    const req = pageSearch(
      {
        ...plan({
          near: { lat: 52.52, lon: 13.405 },
          radiusKm: 50,
          budgetUsd: 5000,
          sort: "distance",
          page: 3,
          pageSize: 10,
        }),
        facets: [],
      },
      "partners",
      sizes,
      directory,
    );
    expect(req).toMatchInlineSnapshot(`
      {
        "_source": {
          "excludes": [
            "internal",
          ],
        },
        "docvalue_fields": [
          "search.staticBoost",
        ],
        "from": 0,
        "index": "partners",
        "query": {
          "bool": {
            "filter": [
              {
                "term": {
                  "search.listed": true,
                },
              },
              {
                "geo_distance": {
                  "distance": "50km",
                  "distance_type": "arc",
                  "search.geo": {
                    "lat": 52.52,
                    "lon": 13.405,
                  },
                },
              },
              {
                "bool": {
                  "minimum_should_match": 1,
                  "should": [
                    {
                      "range": {
                        "minProjectBudgetUsd": {
                          "lte": 5000,
                        },
                      },
                    },
                    {
                      "bool": {
                        "must_not": [
                          {
                            "exists": {
                              "field": "minProjectBudgetUsd",
                            },
                          },
                        ],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        "size": 50,
        "sort": [
          {
            "_geo_distance": {
              "distance_type": "arc",
              "mode": "min",
              "order": "asc",
              "search.geo": {
                "lat": 52.52,
                "lon": 13.405,
              },
              "unit": "km",
            },
          },
          {
            "search.accredited": "desc",
          },
          {
            "search.staticBoost": "desc",
          },
          {
            "id": "asc",
          },
        ],
        "track_total_hits": false,
      }
    `);
  });

  it("asks for no hits beyond the result window, keeping total and facets", () => {
    const window = directory.maxResultWindow;
    const deep = plan({ page: window / 10, pageSize: 10 });
    const req = directorySearches({ ...deep, from: window }, "p", sizes, directory);
    expect(req.hits).toBeUndefined();
    expect([req.count.size, req.count.track_total_hits, req.own]).toEqual([0, true, []]);
  });

  it("sizes facet aggregations from the catalog, so every value is counted", () => {
    // Counted from the bundled data files, not through the Catalog the code under test reads.
    const codes = (entries: { code: string }[]) => new Set(entries.map((e) => e.code)).size;
    expect(sizes).toEqual({
      country: new Set(geographyJson.countries).size,
      language: new Set(geographyJson.languages).size,
      industry: codes(catalogJson.industries),
      service: codes(catalogJson.services),
      product: codes(catalogJson.products),
      customerSize: codes(catalogJson.customerSizes),
      tier: codes(catalogJson.tiers),
      accredited: 2, // true and false
    });
  });
});

describe("textQuery", () => {
  it("divides field weights by (k1 + 1) to undo Elasticsearch's legacy BM25 factor", () => {
    expect(textQuery(queryWords("導入"), 2, directory.text)).toMatchInlineSnapshot(`
      {
        "bool": {
          "boost": 2,
          "must": [
            {
              "bool": {
                "minimum_should_match": 1,
                "should": [
                  {
                    "term": {
                      "search.text.name": {
                        "boost": 1.3636363636363635,
                        "value": "導入",
                      },
                    },
                  },
                  {
                    "term": {
                      "search.text.city": {
                        "boost": 0.9090909090909091,
                        "value": "導入",
                      },
                    },
                  },
                  {
                    "term": {
                      "search.text.services": {
                        "boost": 0.6818181818181818,
                        "value": "導入",
                      },
                    },
                  },
                  {
                    "term": {
                      "search.text.description": {
                        "boost": 0.45454545454545453,
                        "value": "導入",
                      },
                    },
                  },
                ],
              },
            },
          ],
        },
      }
    `);
  });
});

describe("candidatesSearch", () => {
  it("puts the finder's pre-filters in a post filter and counts the market on the first page", () => {
    const query = {
      country: "US",
      programLevels: ["partner"],
      withCapacity: true,
      eligibleIf: {
        accreditationsAny: ["onboarding"],
        qualified: { tiersAny: ["gold", "elite"], minRetention: 0.8 },
      },
    };
    expect(candidatesSearch(query, "partners")).toMatchInlineSnapshot(`
      {
        "aggs": {
          "coverage": {
            "filters": {
              "filters": {
                "accepting": {
                  "bool": {
                    "filter": [
                      {
                        "term": {
                          "internal.capacity.acceptingReferrals": true,
                        },
                      },
                    ],
                  },
                },
                "capacity": {
                  "bool": {
                    "filter": [
                      {
                        "term": {
                          "internal.capacity.acceptingReferrals": true,
                        },
                      },
                      {
                        "bool": {
                          "minimum_should_match": 1,
                          "should": [
                            {
                              "term": {
                                "search.withCapacity": true,
                              },
                            },
                            {
                              "bool": {
                                "must_not": [
                                  {
                                    "exists": {
                                      "field": "search.withCapacity",
                                    },
                                  },
                                ],
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
                "eligible": {
                  "bool": {
                    "filter": [
                      {
                        "term": {
                          "internal.capacity.acceptingReferrals": true,
                        },
                      },
                      {
                        "bool": {
                          "minimum_should_match": 1,
                          "should": [
                            {
                              "term": {
                                "search.withCapacity": true,
                              },
                            },
                            {
                              "bool": {
                                "must_not": [
                                  {
                                    "exists": {
                                      "field": "search.withCapacity",
                                    },
                                  },
                                ],
                              },
                            },
                          ],
                        },
                      },
                      {
                        "bool": {
                          "minimum_should_match": 1,
                          "should": [
                            {
                              "terms": {
                                "accreditations.code": [
                                  "onboarding",
                                ],
                              },
                            },
                            {
                              "bool": {
                                "filter": [
                                  {
                                    "terms": {
                                      "tier": [
                                        "gold",
                                        "elite",
                                      ],
                                    },
                                  },
                                  {
                                    "range": {
                                      "internal.retention": {
                                        "gte": 0.8,
                                      },
                                    },
                                  },
                                ],
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
              },
            },
          },
          "market": {
            "filter": {
              "match_all": {},
            },
          },
        },
        "index": "partners",
        "post_filter": {
          "bool": {
            "filter": [
              {
                "term": {
                  "internal.capacity.acceptingReferrals": true,
                },
              },
              {
                "bool": {
                  "minimum_should_match": 1,
                  "should": [
                    {
                      "term": {
                        "search.withCapacity": true,
                      },
                    },
                    {
                      "bool": {
                        "must_not": [
                          {
                            "exists": {
                              "field": "search.withCapacity",
                            },
                          },
                        ],
                      },
                    },
                  ],
                },
              },
              {
                "bool": {
                  "minimum_should_match": 1,
                  "should": [
                    {
                      "terms": {
                        "accreditations.code": [
                          "onboarding",
                        ],
                      },
                    },
                    {
                      "bool": {
                        "filter": [
                          {
                            "terms": {
                              "tier": [
                                "gold",
                                "elite",
                              ],
                            },
                          },
                          {
                            "range": {
                              "internal.retention": {
                                "gte": 0.8,
                              },
                            },
                          },
                        ],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        "query": {
          "bool": {
            "filter": [
              {
                "terms": {
                  "programLevel": [
                    "partner",
                  ],
                },
              },
              {
                "term": {
                  "search.facets.country": "US",
                },
              },
            ],
          },
        },
        "size": 10000,
        "sort": [
          {
            "id": "asc",
          },
        ],
        "track_total_hits": false,
      }
    `);
    // Languages to count: a first step of every coverage bucket, never a filter.
    const counted = candidatesSearch({ ...query, countLanguages: ["de"] }, "partners");
    expect(counted.post_filter).toEqual(candidatesSearch(query, "partners").post_filter);
    const buckets = (counted.aggs?.coverage?.filters?.filters ?? {}) as Record<
      string,
      { bool: { filter: unknown[] } }
    >;
    expect(Object.keys(buckets)).toEqual(["language", "accepting", "capacity", "eligible"]);
    expect(buckets.language?.bool.filter).toEqual([{ terms: { languages: ["de"] } }]);
    expect(buckets.eligible?.bool.filter[0]).toEqual({ terms: { languages: ["de"] } });
    const next = candidatesSearch(query, "partners", "p-1");
    expect(next.aggs).toBeUndefined();
    expect(next.post_filter).toEqual(candidatesSearch(query, "partners").post_filter);
    expect(
      candidatesSearch(
        { country: "US", programLevels: ["partner"], eligibleIf: { accreditationsAny: [] } },
        "partners",
      ).post_filter,
    ).toEqual({ bool: { filter: [{ bool: { must_not: [{ match_all: {} }] } }] } });
  });

  it("filters partners by country (located or served) and any shared language, paged by id", () => {
    expect(
      candidatesSearch(
        { country: "DE", programLevels: ["partner"], languages: ["de", "en"] },
        "partners",
      ),
    ).toMatchInlineSnapshot(`
      {
        "index": "partners",
        "query": {
          "bool": {
            "filter": [
              {
                "terms": {
                  "programLevel": [
                    "partner",
                  ],
                },
              },
              {
                "term": {
                  "search.facets.country": "DE",
                },
              },
              {
                "terms": {
                  "languages": [
                    "de",
                    "en",
                  ],
                },
              },
            ],
          },
        },
        "size": 10000,
        "sort": [
          {
            "id": "asc",
          },
        ],
        "track_total_hits": false,
      }
    `);
    expect(
      candidatesSearch({ country: "JP", programLevels: ["partner"] }, "partners", "p-000042", 100),
    ).toMatchInlineSnapshot(`
      {
        "index": "partners",
        "query": {
          "bool": {
            "filter": [
              {
                "terms": {
                  "programLevel": [
                    "partner",
                  ],
                },
              },
              {
                "term": {
                  "search.facets.country": "JP",
                },
              },
            ],
          },
        },
        "search_after": [
          "p-000042",
        ],
        "size": 100,
        "sort": [
          {
            "id": "asc",
          },
        ],
        "track_total_hits": false,
      }
    `);
  });
});

describe("directoryResult", () => {
  it("reads the total and unfiltered facets from the count, a filtered facet from its own search, hits from the page", () => {
    const p = { ...plan({ filters: { tier: ["gold"] } }), facets: ["tier", "language"] as const };
    const searches = directorySearches(p, "partners", sizes, directory);
    expect(searches.own.map((o) => o.field)).toEqual(["tier"]);
    const answer = (over: object) =>
      ({
        took: 1,
        timed_out: false,
        _shards: { total: 1, successful: 1, failed: 0 },
        hits: { hits: [] },
        ...over,
      }) as never;
    const result = directoryResult(p, searches, [
      answer({
        hits: { total: { value: 2, relation: "eq" }, hits: [] },
        aggregations: { language: { buckets: [{ key: "de", doc_count: 2 }] } },
      }),
      answer({
        aggregations: {
          tier: {
            buckets: [
              { key: "gold", doc_count: 2 },
              { key: "elite", doc_count: 3 },
            ],
          },
        },
      }),
      answer({
        hits: {
          hits: [
            {
              _index: "partners-v1",
              _id: "p-1",
              _score: null,
              _source: { id: "p-1" },
              fields: { "search.staticBoost": [0.42] },
            },
          ],
        },
      }),
    ]);
    expect(result).toEqual({
      total: 2,
      hits: [{ profile: { id: "p-1" }, score: 0.42 }],
      facets: { tier: { gold: 2, elite: 3 }, language: { de: 2 } },
    });
  });
});

describe("relaxed search", () => {
  it("counts each subset of words in one filters aggregation, with the plan's filters applied", () => {
    const p = plan({ q: "crm hamburg zzzqq", filters: { country: ["DE"] } });
    const level = [
      [0, 1],
      [0, 2],
      [1, 2],
    ];
    const req = relaxCountSearch(p, "partners", level, directory);
    expect(req.size).toBe(0);
    expect(req.query).toEqual({
      bool: {
        filter: [
          { term: { "search.listed": true } },
          { terms: { "search.facets.country": ["DE"] } },
        ],
      },
    });
    const buckets = (req.aggs?.relax?.filters?.filters ?? {}) as Record<
      string,
      { bool: { filter: unknown[] } }
    >;
    expect(Object.keys(buckets)).toEqual(["0", "1", "2"]);
    expect(buckets["1"]?.bool.filter).toHaveLength(2);
    // Bucket counts come back in the level's order; a missing bucket counts nobody.
    expect(
      relaxCounts(level, { relax: { buckets: { "0": { doc_count: 0 }, "2": { doc_count: 4 } } } }),
    ).toEqual([0, 0, 4]);
  });

  it("asks one-edit and prefix clauses only where the rule allows them", () => {
    const json = JSON.stringify(textQuery(queryWords("seo migraton hamb"), 1, directory.text));
    expect(json.match(/"fuzzy"/g)).toHaveLength(4);
    expect(json.match(/"prefix":\{/g)).toHaveLength(4);
    expect(json).toContain('"fuzzy":{"search.text.name":{"value":"migraton"');
    expect(json).toContain('"prefix":{"search.text.name":{"value":"hamb"');
  });
});
