// My orders: GET /api/v1/orders/ (only mine: another customer's order is simply not found).
import { Link } from "react-router";

import { api, unwrap } from "../api/client";
import { useLoad } from "../hooks";
import { ShowError } from "./Errors";

export default function Orders() {
  const orders = useLoad(() => unwrap(api.GET("/api/v1/orders/")), []);
  if (orders.error) return <ShowError error={orders.error} />;
  if (!orders.data) return <p className="loading">Loading…</p>;
  return (
    <section>
      <h1>My orders</h1>
      {orders.data.results.length === 0 && <p>No orders yet.</p>}
      <ul className="orders">
        {orders.data.results.map((o) => (
          <li key={o.id}>
            <Link to={`/orders/${o.id}`}>{o.number}</Link> <span className={`status ${o.status}`}>{(o.status ?? "").replace("_", " ")}</span> {o.total} {o.currency}
          </li>
        ))}
      </ul>
    </section>
  );
}
