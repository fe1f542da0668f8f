// The cart: change quantities, remove lines, go to checkout.
import { useState } from "react";
import { Link } from "react-router";

import { useCart } from "../cart";
import { asApiError } from "../hooks";
import { ErrorList } from "./Errors";

export default function CartPage() {
  const { lines, total, setQuantity, notices } = useCart();
  const [errors, setErrors] = useState<string[]>([]);

  const change = async (line: (typeof lines)[number], quantity: number) => {
    setErrors([]);
    try {
      await setQuantity(line, quantity);
    } catch (error) {
      setErrors(asApiError(error).errors.map((e) => e.detail));
    }
  };

  if (lines.length === 0) {
    return (
      <section>
        <ErrorList messages={notices} />
        <p>Your cart is empty. <Link to="/">Browse the catalog</Link></p>
      </section>
    );
  }
  return (
    <section>
      <h1>Your cart</h1>
      <ErrorList messages={[...notices, ...errors]} />
      <table className="cart">
        <tbody>
          {lines.map((line) => (
            <tr key={line.id}>
              <td>{line.title}</td>
              <td>
                <input
                  type="number"
                  min={0}
                  aria-label={`Quantity of ${line.title}`}
                  defaultValue={line.quantity}
                  onBlur={(e) => void change(line, Number(e.target.value))}
                />
              </td>
              <td>{line.unitPrice} €</td>
              <td><button type="button" onClick={() => void change(line, 0)}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="total">Total: {total} €</p>
      <Link to="/checkout" className="button">Check out</Link>
    </section>
  );
}
