/** @jsxImportSource hono/jsx */
// The human page for the API: how to call it, the error codes, and a link to the OpenAPI file.
// Limits and codes come in as props from the data they are enforced by, so the page cannot
// drift from what the service does.

export interface DocsProps {
  /** The closed set of problem codes with their status and title. */
  problems: Readonly<Record<string, { status: number; title: string }>>;
  maxPageSize: number;
  defaultPageSize: number;
  maxPage: number;
  sorts: readonly string[];
  /** The response's CSP nonce: the page's own style block carries it. */
  nonce?: string;
}

export function docsPage({
  problems,
  maxPageSize,
  defaultPageSize,
  maxPage,
  sorts,
  nonce,
}: DocsProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Partner matching API</title>
        <style
          nonce={nonce}
        >{`body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:.6rem;white-space:pre-wrap;overflow-wrap:anywhere}table{border-collapse:collapse;width:100%}td code{overflow-wrap:anywhere}td,th{overflow-wrap:anywhere}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}`}</style>
      </head>
      <body>
        <main>
          <h1>Partner matching API</h1>
          <p>
            Machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
          </p>
          <h2>Public directory</h2>
          <pre>
            GET
            /v1/directory/partners?q=crm&amp;country=DE&amp;industry=manufacturing&amp;accredited=true
          </pre>
          <p>
            Parameters (each optional): <code>q</code>, <code>country</code>, <code>language</code>,{" "}
            <code>industry</code>, <code>service</code>, <code>product</code>,{" "}
            <code>customerSize</code>, <code>tier</code>, <code>accredited</code>, <code>page</code>{" "}
            (1..{maxPage}), <code>pageSize</code> (1..{maxPageSize}, default {defaultPageSize}),{" "}
            <code>sort</code> ({sorts.join(", ")}). Repeat a parameter for OR within a field;
            different fields combine with AND. With the default relevance sort, accredited partners
            that match come first. Facet counts are disjunctive: a field's own selection does not
            narrow its counts.
          </p>
          <pre>GET /v1/directory/partners/{"{id}"}</pre>
          <h2>Internal partner finder</h2>
          <pre>POST /v1/match (Authorization: Bearer &lt;token&gt;)</pre>
          <p>
            The staff endpoints are described at <code>/v1/staff/openapi.json</code>, behind the
            same bearer token; the public document leaves them out.
          </p>
          <h2>Operations</h2>
          <p>
            <code>GET /healthz</code> (process up), <code>GET /readyz</code> (backend reachable,
            index loaded).
          </p>
          <h2>Errors</h2>
          <p>
            Every error is <code>application/problem+json</code> (RFC 9457) with a stable{" "}
            <code>code</code>; validation errors list each offending parameter or field in{" "}
            <code>errors</code>.
          </p>
          <table>
            <thead>
              <tr>
                <th>code</th>
                <th>status</th>
                <th>meaning</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(problems).map(([code, p]) => (
                <tr id={`problem-${code}`}>
                  <td>
                    <code>{code}</code>
                  </td>
                  <td>{p.status}</td>
                  <td>{p.title}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </main>
      </body>
    </html>
  );
}
