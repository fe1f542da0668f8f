// The cart, two ways, like the pages' session cart and user cart:
// - logged out, the lines live in this tab (sessionStorage): the API's cart needs a login;
// - logged in, the server's cart (/api/v1/cart/) is the only truth.
// When the login state turns true, the visitor's lines are added to the server cart, which
// checks the stock again.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";

import { api, unwrap, type Cart } from "./api/client";
import { asApiError, useLoggedIn } from "./hooks";

export type Line = { id: number; variant: number; title: string; quantity: number; unitPrice: string };

type CartState = {
  lines: Line[];
  total: string;
  add: (variant: number, quantity: number, title: string, unitPrice: string) => Promise<void>;
  setQuantity: (line: Line, quantity: number) => Promise<void>;
  reload: () => Promise<void>;
  notices: string[]; // what the server refused when the visitor's cart joined the account's
};

const GUEST_KEY = "guest-cart";
const CartContext = createContext<CartState | null>(null);

function readGuest(): Line[] {
  return JSON.parse(sessionStorage.getItem(GUEST_KEY) ?? "[]") as Line[];
}

function writeGuest(lines: Line[]): Line[] {
  sessionStorage.setItem(GUEST_KEY, JSON.stringify(lines));
  return lines;
}

function fromServer(cart: Cart): Line[] {
  return cart.items.map((i) => ({
    id: i.id,
    variant: i.variant,
    title: i.title,
    quantity: i.quantity,
    unitPrice: i.unit_price,
  }));
}

function sum(lines: Line[]): string {
  return lines.reduce((t, l) => t + Number(l.unitPrice) * l.quantity, 0).toFixed(2);
}

/**
 * After a login: move the visitor's lines into the server cart, then forget them. A line the
 * server refuses (sold out meanwhile) is dropped with its message: the server decides.
 */
async function mergeGuestCart(): Promise<string[]> {
  const refused: string[] = [];
  for (const line of readGuest()) {
    try {
      await unwrap(api.POST("/api/v1/cart/items/", { body: { variant: line.variant, quantity: line.quantity } }));
    } catch (error) {
      refused.push(`${line.title}: ${asApiError(error).message}`);
    }
  }
  sessionStorage.removeItem(GUEST_KEY); // never merged twice, even after a refusal
  return refused;
}

export function CartProvider({ children }: { children: ReactNode }) {
  const loggedIn = useLoggedIn();
  const [lines, setLines] = useState<Line[]>(readGuest);
  const [total, setTotal] = useState(sum(readGuest()));
  const [notices, setNotices] = useState<string[]>([]);

  const show = (cart: Cart) => {
    setLines(fromServer(cart));
    setTotal(cart.total);
  };
  const showGuest = (guest: Line[]) => {
    setLines(writeGuest(guest));
    setTotal(sum(guest));
  };

  const reload = useCallback(async () => {
    if (loggedIn) {
      const refused = await mergeGuestCart(); // nothing to merge unless we just logged in
      if (refused.length) setNotices(refused);
      show(await unwrap(api.GET("/api/v1/cart/")));
    } else {
      showGuest(readGuest());
    }
  }, [loggedIn]);

  useEffect(() => {
    reload().catch(() => setLines([]));
  }, [reload]);

  const add: CartState["add"] = async (variant, quantity, title, unitPrice) => {
    if (loggedIn) {
      show(await unwrap(api.POST("/api/v1/cart/items/", { body: { variant, quantity } })));
      return;
    }
    const guest = readGuest();
    const existing = guest.find((l) => l.variant === variant);
    if (existing) existing.quantity += quantity;
    else guest.push({ id: variant, variant, title, quantity, unitPrice });
    showGuest(guest);
  };

  const setQuantity: CartState["setQuantity"] = async (line, quantity) => {
    if (loggedIn) {
      const path = { item_id: String(line.id) };
      if (quantity > 0) {
        show(await unwrap(api.PATCH("/api/v1/cart/items/{item_id}/", { params: { path }, body: { quantity } })));
      } else {
        await unwrap(api.DELETE("/api/v1/cart/items/{item_id}/", { params: { path } }));
        await reload();
      }
      return;
    }
    const guest = readGuest().map((l) => (l.variant === line.variant ? { ...l, quantity } : l));
    showGuest(guest.filter((l) => l.quantity > 0));
  };

  return (
    <CartContext.Provider value={{ lines, total, add, setQuantity, reload, notices }}>{children}</CartContext.Provider>
  );
}

export function useCart(): CartState {
  const cart = useContext(CartContext);
  if (!cart) throw new Error("useCart outside <CartProvider>");
  return cart;
}
