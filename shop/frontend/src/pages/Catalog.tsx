// Browse and search: GET /api/v1/products/?search=&category=&page= (the catalog page's query).
import { Link, useSearchParams } from "react-router";

import { api, unwrap } from "../api/client";
import { useLoad } from "../hooks";
import { ShowError } from "./Errors";

export default function Catalog() {
  const [params, setParams] = useSearchParams();
  const search = params.get("search") ?? "";
  const category = params.get("category") ?? "";
  const page = Number(params.get("page") ?? "1");

  const categories = useLoad(() => unwrap(api.GET("/api/v1/categories/")), []);
  const products = useLoad(
    () =>
      unwrap(
        api.GET("/api/v1/products/", {
          params: { query: { search: search || undefined, category: category || undefined, page } },
        }),
      ),
    [search, category, page],
  );

  // Changing a filter starts again at page 1; the URL holds the state, so Back works.
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries({ ...changes, page: changes.page ?? "1" }).forEach(([k, v]) =>
      v ? next.set(k, v) : next.delete(k),
    );
    setParams(next);
  };

  return (
    <section>
      <h1>Catalog</h1>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          update({ search: String(new FormData(e.currentTarget).get("search") ?? "") });
        }}
      >
        <input name="search" type="search" placeholder="Search products" defaultValue={search} aria-label="Search" />
        <button type="submit">Search</button>
        <select aria-label="Category" value={category} onChange={(e) => update({ category: e.target.value })}>
          <option value="">All categories</option>
          {categories.data?.results.map((c) => (
            <option key={c.slug} value={c.slug}>{c.name}</option>
          ))}
        </select>
      </form>
      <ShowError error={products.error} />
      {products.loading && <p className="loading">Loading…</p>}
      {products.data && (
        <>
          <p>{products.data.count} products</p>
          <ul className="products">
            {products.data.results.map((p) => (
              <li key={p.id}>
                <Link to={`/products/${p.slug}`}>{p.title}</Link> <span className="price">from {p.min_price} €</span>
              </li>
            ))}
          </ul>
          <nav className="pager">
            {products.data.previous && <button type="button" onClick={() => update({ page: String(page - 1) })}>Previous</button>}
            {products.data.next && <button type="button" onClick={() => update({ page: String(page + 1) })}>Next</button>}
          </nav>
        </>
      )}
    </section>
  );
}
