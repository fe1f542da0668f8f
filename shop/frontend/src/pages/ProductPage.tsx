// One product: GET /api/v1/products/{slug}/, pick a variant, add it to the cart.
import { useState } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../api/client";
import { useCart } from "../cart";
import { asApiError, useLoad } from "../hooks";
import { ErrorList, ShowError } from "./Errors";

export default function ProductPage() {
  const { slug = "" } = useParams();
  const product = useLoad(
    () => unwrap(api.GET("/api/v1/products/{slug}/", { params: { path: { slug } } })),
    [slug],
  );
  const cart = useCart();
  const [variantId, setVariantId] = useState<number | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState("");
  const [errors, setErrors] = useState<string[]>([]);

  if (product.error) return <ShowError error={product.error} />;
  if (!product.data) return <p className="loading">Loading…</p>;
  const p = product.data;
  const variant = p.variants.find((v) => v.id === variantId) ?? p.variants[0];

  const add = async () => {
    setErrors([]);
    try {
      await cart.add(variant.id, quantity, `${p.title} – ${variant.title}`, variant.price);
      setMessage(`Added ${quantity} × ${variant.title} to your cart.`);
    } catch (error) {
      setErrors(asApiError(error).errors.map((e) => e.detail)); // e.g. "Only 2 left in stock."
    }
  };

  return (
    <article>
      <p><Link to="/">← Catalog</Link></p>
      <h1>{p.title}</h1>
      <p>{p.description}</p>
      <label>
        Variant{" "}
        <select value={variant.id} onChange={(e) => setVariantId(Number(e.target.value))}>
          {p.variants.map((v) => (
            <option key={v.id} value={v.id}>{v.title} – {v.price} € ({v.available} available)</option>
          ))}
        </select>
      </label>{" "}
      <label>
        Quantity{" "}
        <input type="number" min={1} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} />
      </label>{" "}
      {/* The limits shown here are a courtesy: the server checks the stock again. */}
      <button type="button" onClick={() => void add()}>Add to cart</button>
      {message && <p className="notice" role="status">{message} <Link to="/cart">View cart</Link></p>}
      <ErrorList messages={errors} />
    </article>
  );
}
