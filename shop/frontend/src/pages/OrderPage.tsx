// One order. Back from the payment page the order may still wait for the provider's webhook,
// so the page asks again every two seconds until the status moves (the pages' meta refresh).
import { useEffect } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../api/client";
import { useLoad } from "../hooks";
import { goPay } from "./Checkout";
import { ShowError } from "./Errors";

export default function OrderPage() {
  const id = Number(useParams().id);
  const order = useLoad(() => unwrap(api.GET("/api/v1/orders/{id}/", { params: { path: { id } } })), [id]);
  const waiting = order.data?.status === "pending_payment";

  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(order.reload, 2000);
    return () => clearTimeout(timer);
  }, [waiting, order]);

  if (order.error) return <ShowError error={order.error} />;
  if (!order.data) return <p className="loading">Loading…</p>;
  const o = order.data;
  return (
    <article>
      <p><Link to="/orders">← My orders</Link></p>
      <h1>Order {o.number}</h1>
      <p>Status: <strong className={`status ${o.status}`} data-testid="order-status">{(o.status ?? "").replace("_", " ")}</strong></p>
      {waiting && (
        <p>
          Waiting for the payment…{" "}
          <button type="button" onClick={() => void goPay(o.id)}>Pay now</button>
        </p>
      )}
      <table className="cart">
        <tbody>
          {o.lines.map((l) => (
            <tr key={l.sku}><td>{l.title}</td><td>{l.quantity} ×</td><td>{l.unit_price}</td><td>{l.line_total}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="total">Total: {o.total} {o.currency}{o.discount !== "0.00" && ` (discount ${o.discount})`}</p>
      <p>Ships to: {o.shipping_address.join(", ")}</p>
    </article>
  );
}
