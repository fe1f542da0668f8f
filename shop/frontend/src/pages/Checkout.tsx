// Checkout: POST /api/v1/checkout/ with an Idempotency-Key, then off to the provider's page.
// The form checks nothing the server does not: the API's 400 names the field, and the
// message appears under it (one set of rules, in Django).
import { useState } from "react";
import { useNavigate } from "react-router";

import { api, unwrap, type CheckoutRequest } from "../api/client";
import { ApiError } from "../api/errors";
import { useCart } from "../cart";
import { asApiError } from "../hooks";
import { ErrorList } from "./Errors";

const FIELDS: [keyof CheckoutRequest, string][] = [
  ["name", "Full name"],
  ["line1", "Address"],
  ["line2", "Address (line 2)"],
  ["postcode", "Postcode"],
  ["city", "City"],
  ["country", "Country (2 letters)"],
  ["coupon_code", "Coupon code"],
];

/** Send the browser to the provider's hosted page; it sends the customer back to the order. */
export async function goPay(orderId: number): Promise<void> {
  const link = await unwrap(api.GET("/api/v1/orders/{id}/payment/", { params: { path: { id: orderId } } }));
  const url = new URL(link.checkout_url);
  url.searchParams.set("return_to", `/app/orders/${orderId}`);
  window.location.assign(url.toString());
}

export default function Checkout() {
  const { lines, total } = useCart();
  const navigate = useNavigate();
  // One key per checkout attempt: a double click or a retried request gives the same order.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (form: FormData) => {
    setBusy(true);
    setError(null);
    const body = Object.fromEntries(FIELDS.map(([f]) => [f, String(form.get(f) ?? "")])) as CheckoutRequest;
    try {
      const order = await unwrap(
        api.POST("/api/v1/checkout/", { body, params: { header: { "Idempotency-Key": idempotencyKey } } }),
      );
      await goPay(order.id);
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };

  if (lines.length === 0) {
    return <p>Your cart is empty. <button type="button" className="link" onClick={() => navigate("/")}>Browse the catalog</button></p>;
  }
  const fieldNames = FIELDS.map(([f]) => f as string);
  return (
    <section>
      <h1>Checkout</h1>
      <p>{lines.length} line(s), total {total} €</p>
      <form
        className="stacked"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(new FormData(e.currentTarget));
        }}
      >
        {FIELDS.map(([field, label]) => (
          <label key={field}>
            {label} <input name={field} />
            <ErrorList messages={error?.fieldErrors(field) ?? []} />
          </label>
        ))}
        <ErrorList messages={error?.otherErrors(fieldNames) ?? []} />
        <button type="submit" disabled={busy}>Place order and pay</button>
      </form>
    </section>
  );
}
